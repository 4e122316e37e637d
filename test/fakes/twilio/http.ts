// HTTP side of the fake: routing of the 2010-04-01 API paths twilio-node
// calls, Basic authentication, form and query parsing, call recording, and
// injected failures and delays.
// https://www.twilio.com/docs/usage/requests-to-twilio
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as errors from './errors.ts';
import type { ApiError } from './errors.ts';
import { newRequestId } from './ids.ts';
import { listMessages } from './list.ts';
import { createMessage, isApiError, type FormParams } from './messages.ts';
import { API_VERSION, accountResource, messageResource } from './resources.ts';
import type { Account, FailableOp, Failure, RecordedCall, TwilioState } from './state.ts';

interface Route {
  op: FailableOp;
  method: 'GET' | 'POST';
  accountSid: string;
  messageSid?: string;
}

const ACCOUNT_PATH = new RegExp(`^/${API_VERSION}/Accounts/([^/]+)\\.json$`);
const MESSAGES_PATH = new RegExp(`^/${API_VERSION}/Accounts/([^/]+)/Messages\\.json$`);
const MESSAGE_PATH = new RegExp(`^/${API_VERSION}/Accounts/([^/]+)/Messages/([^/]+)\\.json$`);

function matchRoute(path: string, method: string): Route | undefined {
  let m = ACCOUNT_PATH.exec(path);
  if (m) return { op: 'accounts.fetch', method: 'GET', accountSid: m[1]! };
  m = MESSAGES_PATH.exec(path);
  // GET lists the account's messages, POST creates one (other methods answer 405).
  if (m) return method === 'GET' ? { op: 'messages.list', method: 'GET', accountSid: m[1]! } : { op: 'messages.create', method: 'POST', accountSid: m[1]! };
  m = MESSAGE_PATH.exec(path);
  if (m) return { op: 'messages.fetch', method: 'GET', accountSid: m[1]!, messageSid: m[2]! };
  return undefined;
}

/** Form or query parameters; a name given more than once (MediaUrl) becomes an array. */
export function collectParams(search: URLSearchParams): FormParams {
  const params: FormParams = {};
  for (const [name, value] of search) {
    const prev = params[name];
    params[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function parseParams(req: IncomingMessage, url: URL): Promise<FormParams> {
  if (req.method !== 'POST') return collectParams(url.searchParams);
  const raw = await readBody(req);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // twilio-node always posts application/x-www-form-urlencoded (qs, arrayFormat "repeat").
  return contentType === 'application/x-www-form-urlencoded' ? collectParams(new URLSearchParams(raw)) : {};
}

function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function injectedError(failure: Failure): ApiError {
  const code = failure.code ?? errors.defaultCode(failure.status);
  const error = errors.apiError(failure.status, code, failure.message ?? errors.defaultMessage(failure.status));
  return failure.retryAfterSeconds === undefined ? error : { ...error, headers: { 'retry-after': String(failure.retryAfterSeconds) } };
}

type Result = { status: number; body: unknown; headers?: Record<string, string> };

function runOp(state: TwilioState, route: Route, account: Account, params: FormParams, path: string): Result {
  switch (route.op) {
    case 'accounts.fetch':
      return { status: 200, body: accountResource(account) };
    case 'messages.create': {
      const created = createMessage(account, params);
      if (isApiError(created)) return created;
      state.recordMessage(created);
      return { status: 201, body: messageResource(created) };
    }
    case 'messages.list':
      return listMessages(state.messages.values(), account, params);
    case 'messages.fetch': {
      const message = state.messages.get(route.messageSid!);
      // Another account's message is as invisible as a missing one.
      if (!message || message.sent.accountSid !== account.sid) return errors.notFound(path);
      return { status: 200, body: messageResource(message) };
    }
  }
}

export async function handleRequest(state: TwilioState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const params = await parseParams(req, url);
  const route = matchRoute(path, method);
  const creds = basicCredentials(req.headers.authorization);
  const account = state.authenticate(creds?.username, creds?.password);

  const call: RecordedCall = {
    method,
    path,
    ...(route ? { op: route.op } : {}),
    ...(account ? { accountSid: account.sid } : {}),
    params,
    at,
    status: 0,
  };
  state.calls.push(call);

  const answer = (result: Result) => {
    call.status = result.status;
    res.writeHead(result.status, {
      'content-type': 'application/json; charset=utf-8',
      'twilio-request-id': newRequestId(),
      ...result.headers,
    });
    res.end(JSON.stringify(result.body));
  };

  if (!route) return answer(errors.notFound(path));
  if (route.method !== method) return answer(errors.methodNotAllowed(method));

  const failure = state.takeFailure(route.op);
  if (failure && !failure.lostResponse) return answer(injectedError(failure));

  let result: Result;
  if (!account) result = errors.authenticate();
  // Twilio scopes every resource under the account in the path; credentials
  // of one account do not reach another's (subaccounts aside).
  else if (route.accountSid !== account.sid) result = errors.notFound(path);
  else result = runOp(state, route, account, params, path);

  // A slow Twilio: the request is carried out at once, the answer comes late
  // (so a status callback can overtake it, as with the real one).
  const wait = state.delayFor(route.op);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  if (failure?.lostResponse) {
    res.socket?.destroy();
    return;
  }
  answer(result);
}
