// HTTP side of the fake: the Web API under /api/<method>, request parsing the
// way Slack does it, call recording, and injected failures and delays.
// https://api.slack.com/web#basics
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackState } from './state.ts';
import { runMethod, type ApiResult } from './web-api.ts';

export interface ParsedRequest {
  params: Record<string, unknown>;
  token: string | undefined;
  /** A body Slack could not parse (answered with this error). */
  error?: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Arguments come from the query string and the body, which is either
 * application/x-www-form-urlencoded (what @slack/web-api sends, with objects
 * such as `blocks` JSON-encoded into strings) or application/json. The token
 * may be an `Authorization: Bearer` header or a `token` argument, except in
 * JSON bodies, where Slack ignores `token` and requires the header.
 * https://api.slack.com/web#posting_json
 */
export async function parseRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const raw = req.method === 'POST' ? await readBody(req) : '';
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let bodyToken: unknown;
  if (raw && contentType === 'application/json') {
    try {
      const body = JSON.parse(raw) as unknown;
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const { token: _ignored, ...rest } = body as Record<string, unknown>;
        Object.assign(params, rest);
      }
    } catch {
      return { params, token: undefined, error: 'invalid_json' };
    }
  } else if (raw && contentType === 'application/x-www-form-urlencoded') {
    const form = Object.fromEntries(new URLSearchParams(raw));
    bodyToken = form.token;
    Object.assign(params, form);
  }
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const paramToken = typeof bodyToken === 'string' ? bodyToken : typeof params.token === 'string' ? params.token : undefined;
  delete params.token;
  return { params, token: bearer || paramToken || undefined };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export interface ApiHandlerDeps {
  state: SlackState;
  openSocketUrl(appToken: string, appId: string): string;
}

/** Handles /api/<method>. */
export async function handleApiRequest(deps: ApiHandlerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { state } = deps;
  const method = decodeURIComponent(url.pathname.slice('/api/'.length));
  const at = Date.now();
  const parsed = await parseRequest(req, url);
  const wait = state.delayFor(method);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));

  const failure = state.takeFailure(method);
  const record = (status: number, result: ApiResult | undefined) =>
    state.calls.push({
      method,
      params: parsed.params,
      token: parsed.token,
      at,
      status,
      ok: result?.ok ?? false,
      ...(result && !result.ok ? { error: result.error } : {}),
    });

  if (failure && 'status' in failure) {
    if (failure.status === 429) {
      // Rate limited: HTTP 429 with Retry-After in seconds. The SDK waits that
      // long and retries by itself (or throws WebAPIRateLimitedError with
      // rejectRateLimitedCalls). https://api.slack.com/apis/rate-limits
      const body: ApiResult = { ok: false, error: 'ratelimited' };
      record(429, body);
      sendJson(res, 429, body, { 'retry-after': String(failure.retryAfter) });
      return;
    }
    // Slack's 5xx answers are not JSON; the SDK throws WebAPIHTTPError (and retries per retryConfig).
    record(failure.status, undefined);
    res.writeHead(failure.status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(failure.status === 503 ? 'Service Unavailable' : 'Internal Server Error');
    return;
  }

  if (failure && 'lostResponse' in failure) {
    const done = runMethod(method, parsed.token, { state, params: parsed.params, openSocketUrl: deps.openSocketUrl });
    record(0, done);
    res.socket?.destroy();
    return;
  }
  let result: ApiResult;
  if (failure) result = { ok: false, error: failure.error };
  else if (parsed.error) result = { ok: false, error: parsed.error };
  else result = runMethod(method, parsed.token, { state, params: parsed.params, openSocketUrl: deps.openSocketUrl });
  record(200, result);
  sendJson(res, 200, result);
}
