// Slack's request signing, for testing an HTTP Events API endpoint.
// https://api.slack.com/authentication/verifying-requests-from-slack
//
// The signature is HMAC-SHA256 with the app's signing secret over
// "v0:<timestamp>:<raw body>", hex, prefixed "v0=". It covers the raw bytes:
// a receiver must verify before parsing (re-serialized JSON will not match),
// compare in constant time, and reject timestamps more than five minutes
// from now (replays).
import { createHmac } from 'node:crypto';

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': string;
  [header: string]: string;
}

export function slackSignature(signingSecret: string, rawBody: string, timestamp: number): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  return {
    'x-slack-signature': slackSignature(signingSecret, rawBody, timestamp),
    'x-slack-request-timestamp': String(timestamp),
    'content-type': 'application/json',
  };
}

export interface PostSignedEventOptions {
  /** Epoch seconds to sign with (default now); an old one simulates a replay. */
  timestamp?: number;
  /**
   * Slack retries a delivery that got no 2xx within 3 s, up to three times,
   * adding these headers. https://api.slack.com/apis/events-api#retries
   */
  retryNum?: number;
  /** e.g. 'http_timeout', 'http_error', 'too_many_redirects', 'unknown_error'. */
  retryReason?: string;
  /** Changes the body after signing it, so the signature no longer matches. */
  tamper?: boolean;
  /** Content type of a string body (default application/json; slash commands and interactivity are form-encoded). */
  contentType?: string;
}

/** POSTs a signed body (an object is JSON-encoded; a string is sent as is). */
export async function postSignedEvent(
  url: string,
  signingSecret: string,
  body: unknown,
  opts: PostSignedEventOptions = {},
): Promise<{ status: number; text: string; headers: Headers }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { ...signSlackRequest(signingSecret, raw, opts.timestamp) };
  if (opts.contentType) headers['content-type'] = opts.contentType;
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  // Appending a space keeps JSON valid, so only a receiver that checks the raw bytes notices.
  const sent = opts.tamper ? `${raw} ` : raw;
  const res = await fetch(url, { method: 'POST', headers, body: sent });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
