// Twilio's request signature: X-Twilio-Signature is base64 HMAC-SHA1, keyed
// with the account's auth token, over the URL Twilio called followed by every
// POST parameter (name then value), sorted by name. It covers the URL, so
// behind a proxy the URL must be the public one (PUBLIC_URL), not ours.
// https://www.twilio.com/docs/usage/security#validating-requests
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookError } from '../types.ts';

export type FormParams = [name: string, value: string][];

/** Code-unit order ("Unix-style case-sensitive"), not the locale's. */
function byNameThenValue(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const hmac = createHmac('sha1', authToken).update(url, 'utf8');
  for (const [name, value] of [...params].sort(byNameThenValue)) hmac.update(name + value, 'utf8');
  return hmac.digest('base64');
}

/**
 * Twilio signs the URL as it dialled it: with or without an explicit default
 * port depending on how it was configured, so both spellings are accepted
 * (as Twilio's own libraries do).
 */
function urlVariants(url: string): string[] {
  const variants = [url];
  try {
    const u = new URL(url);
    const defaultPort = u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '';
    if (!defaultPort) return variants;
    if (u.port === '') {
      variants.push(`${u.protocol}//${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.hostname}:${defaultPort}${u.pathname}${u.search}`);
    } else if (u.port === defaultPort) {
      variants.push(url.replace(`:${defaultPort}`, ''));
    }
  } catch {
    // Not a URL: only the exact string can match.
  }
  return variants;
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws 403 unless the request carries a valid signature for this URL and these parameters. */
export function verifyTwilioRequest(authToken: string, header: string | undefined, url: string, params: FormParams): void {
  if (!header) throw new WebhookError(403, 'Missing X-Twilio-Signature: only Twilio can post here.');
  const ok = urlVariants(url).some((candidate) => sameSignature(twilioSignature(authToken, candidate, params), header.trim()));
  if (!ok) {
    throw new WebhookError(403, 'Invalid X-Twilio-Signature. Check that the auth token in Parley is current and that PUBLIC_URL is the address Twilio calls.');
  }
}
