// Twilio's webhook signing, for testing endpoints that receive Twilio
// requests (incoming messages, status callbacks).
// https://www.twilio.com/docs/usage/webhooks/webhooks-security
//
// X-Twilio-Signature is base64(HMAC-SHA1(auth token, data)) where data is the
// full URL Twilio requested (scheme, host, port if any, path, query string)
// followed by each POST parameter's name and value, parameters sorted by
// name. The URL is the one Twilio was configured with, not the one the
// receiver sees behind a proxy, so receivers must rebuild the public URL.
// Unlike Slack's signature there is no timestamp: replays are detected with
// I-Twilio-Idempotency-Token, if at all.
import { createHmac } from 'node:crypto';
import { newIdempotencyToken } from './ids.ts';

export type TwilioParams = Record<string, string | string[]>;

export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  // Code-unit order, which for Twilio's ASCII parameter names is the byte
  // order its documentation asks for.
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    // A repeated parameter contributes each distinct value, sorted: the
    // official validators drop duplicates, so a signer that kept them would
    // produce signatures they reject.
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** application/x-www-form-urlencoded, a repeated parameter once per value. */
export function encodeForm(params: TwilioParams): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  return form.toString();
}

export interface PostTwilioWebhookOptions {
  /** Sign over this URL instead of the one posted to (Twilio signs the public URL a proxy forwards from). */
  signatureUrl?: string;
  /** Sign with the wrong key: a well-formed signature that must be rejected. */
  badSignature?: boolean;
  /** Twilio keeps this token across its retries of one delivery; default a fresh one. */
  idempotencyToken?: string;
  /** Extra headers, or overrides of the ones Twilio sends. */
  headers?: Record<string, string>;
}

export interface WebhookResponse {
  status: number;
  body: string;
  contentType: string | null;
}

/** POSTs form parameters the way Twilio delivers webhooks, signed with the account's auth token. */
export async function postTwilioWebhook(
  url: string,
  authToken: string,
  params: TwilioParams,
  opts: PostTwilioWebhookOptions = {},
): Promise<WebhookResponse> {
  const key = opts.badSignature ? `${authToken}-not-the-token` : authToken;
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: '*/*',
    'user-agent': 'TwilioProxy/1.1',
    'x-home-region': 'us1',
    'i-twilio-idempotency-token': opts.idempotencyToken ?? newIdempotencyToken(),
    'x-twilio-signature': twilioSignature(key, opts.signatureUrl ?? url, params),
    ...opts.headers,
  };
  // Redirects are answered, not followed, so a test sees what the endpoint said.
  const res = await fetch(url, { method: 'POST', headers, body: encodeForm(params), redirect: 'manual' });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}
