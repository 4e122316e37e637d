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
  let previous: [string, string] | undefined;
  for (const pair of [...params].sort(byNameThenValue)) {
    // A repeated name counts each distinct value once, as Twilio's own validators (twilio-node, twilio-python) do.
    if (previous && previous[0] === pair[0] && previous[1] === pair[1]) continue;
    hmac.update(pair[0] + pair[1], 'utf8');
    previous = pair;
  }
  return hmac.digest('base64');
}

/** scheme://userinfo@host:port/rest, split without normalising (new URL() re-encodes and drops a default port). */
function splitUrl(url: string): { scheme: string; userInfo: string; host: string; port: string; rest: string } | null {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return null;
  const prefix = match[0];
  const scheme = match[1]!;
  const authority = match[2]!;
  const at = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(at + 1);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const colon = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, at + 1),
    host: colon < 0 ? hostAndPort : hostAndPort.slice(0, colon),
    port: colon < 0 ? '' : hostAndPort.slice(colon),
    rest: url.slice(prefix.length),
  };
}

/**
 * Twilio signs the URL as it dialled it, and documents that it drops the
 * port of an HTTPS URL before signing; depending on how the URL was
 * configured the signature may also carry the default port. So the URL is
 * tried as it is, without its port, and with the default port when it has
 * none: the candidates of twilio-node's validateRequest.
 */
function urlVariants(url: string): string[] {
  const parts = splitUrl(url);
  if (!parts) return [url];
  const { scheme, userInfo, host, port, rest } = parts;
  const variants = new Set([url, `${scheme}${userInfo}${host}${rest}`]);
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : scheme.toLowerCase() === 'http://' ? ':80' : '';
  if (!port && defaultPort) variants.add(`${scheme}${userInfo}${host}${defaultPort}${rest}`);
  return [...variants];
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
