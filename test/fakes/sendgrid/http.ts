// HTTP side of the fake: routing, bearer-key auth and scopes, body limits,
// call recording and injected failures, answering with SendGrid's statuses,
// headers and error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { accountError, defaultErrorFor, FORBIDDEN, INVALID_KEY, NO_AUTH, type ErrorBody } from './errors.ts';
import { newMessageId } from './ids.ts';
import { MAX_BODY_BYTES, validateMailSend } from './mail-send.ts';
import type { ApiKeySpec, FailOp, Failure, MailSendBody, SendGridState } from './state.ts';

interface Route {
  op: FailOp;
  method: 'GET' | 'POST';
}
const ROUTES: Record<string, Route> = {
  '/v3/scopes': { op: 'scopes', method: 'GET' },
  '/v3/mail/send': { op: 'mail.send', method: 'POST' },
};

/** The request body, or `tooLarge` once it passes `limit` (the rest is drained so the client still reads the answer). */
async function readBody(req: IncomingMessage, limit: number): Promise<{ raw: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return { raw: Buffer.concat(chunks), tooLarge: size > limit };
}

function sendJson(res: ServerResponse, status: number, body: ErrorBody | Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1]?.trim();
}

interface Outcome {
  status: number;
  body?: ErrorBody | Record<string, unknown>;
  /** Set on a 202: the payload to record as sent. */
  accepted?: MailSendBody;
}

/** What SendGrid would answer, ignoring injected failures. */
function handle(route: Route, key: string | undefined, spec: ApiKeySpec | undefined, raw: Buffer, tooLarge: boolean): Outcome {
  if (!key) return { status: 401, body: accountError(NO_AUTH) };
  if (!spec) return { status: 401, body: accountError(INVALID_KEY) };
  if (route.op === 'scopes') return { status: 200, body: { scopes: spec.scopes } };

  if (!spec.scopes.includes('mail.send')) return { status: 403, body: accountError(FORBIDDEN) };
  if (tooLarge) return { status: 413, body: defaultErrorFor(413) };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, body: defaultErrorFor(400) };
  }
  const errors = validateMailSend(body);
  if (errors.length > 0) return { status: 400, body: { errors } };
  return { status: 202, accepted: body as MailSendBody };
}

function failureResponse(failure: Failure): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (failure.retryAfterSeconds !== undefined) {
    // SendGrid's rate-limit answers say when the window resets (epoch seconds);
    // Retry-After carries the same information as a delay.
    headers['retry-after'] = String(failure.retryAfterSeconds);
    headers['x-ratelimit-reset'] = String(Math.floor(Date.now() / 1000) + failure.retryAfterSeconds);
    headers['x-ratelimit-remaining'] = '0';
  }
  return { status: failure.status, body: failure.errors ? { errors: failure.errors } : defaultErrorFor(failure.status), headers };
}

export async function handleRequest(state: SendGridState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const key = bearer(req);
  const record = (status: number) => state.calls.push({ method, path, apiKey: key, at, status });
  const { raw, tooLarge } = await readBody(req, MAX_BODY_BYTES);

  const route = ROUTES[path];
  if (!route) {
    record(404);
    sendJson(res, 404, defaultErrorFor(404));
    return;
  }
  if (route.method !== method) {
    record(405);
    sendJson(res, 405, accountError('method not allowed'));
    return;
  }

  const failure = state.takeFailure(route.op);
  if (failure && !failure.lostResponse) {
    const { status, body, headers } = failureResponse(failure);
    record(status);
    sendJson(res, status, body, headers);
    return;
  }

  const spec = key ? state.lookupKey(key) : undefined;
  const outcome = handle(route, key, spec, raw, tooLarge);
  let messageId: string | undefined;
  if (outcome.accepted && key) {
    messageId = newMessageId();
    state.sent.push({ messageId, apiKey: key, body: outcome.accepted, headers: req.headers, at });
  }

  if (failure?.lostResponse) {
    record(0);
    res.socket?.destroy();
    return;
  }
  record(outcome.status);
  if (messageId) {
    // 202 with no body: the message id travels only in this header.
    res.writeHead(202, { 'x-message-id': messageId, 'content-length': '0' });
    res.end();
    return;
  }
  sendJson(res, outcome.status, outcome.body ?? {});
}
