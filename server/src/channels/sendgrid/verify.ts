// Inbound Parse is unsigned by default, so its URL carries a per-integration
// secret. When the admin gives SendGrid's verification key, requests must also
// carry SendGrid's ECDSA signature (P-256, SHA-256, over timestamp + raw body),
// and a timestamp within the replay window.
// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
import { createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { WebhookError } from '../types.ts';

export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';
const REPLAY_WINDOW_SECONDS = 5 * 60;

export function checkPathSecret(expected: string | undefined, given: string | undefined): void {
  const a = Buffer.from(expected ?? '');
  const b = Buffer.from(given ?? '');
  if (!expected || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new WebhookError(403, 'Wrong or missing secret in the webhook URL: copy the URL shown in Parley\'s SendGrid settings.');
  }
}

const keys = new Map<string, KeyObject>();

/** SendGrid shows the key as base64 DER (SubjectPublicKeyInfo); PEM is accepted too. */
export function parsePublicKey(text: string): KeyObject {
  const hit = keys.get(text);
  if (hit) return hit;
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec') throw new Error('not an elliptic-curve key');
  if (keys.size > 1000) keys.clear();
  keys.set(text, key);
  return key;
}

export function verifySignature(publicKey: string, headers: Record<string, string | undefined>, rawBody: Buffer, now: Date): void {
  const signature = headers[SIGNATURE_HEADER];
  const timestamp = headers[TIMESTAMP_HEADER];
  if (!signature || !timestamp) throw new WebhookError(403, 'Missing SendGrid signature headers: signed webhooks are required for this integration.');
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(now.getTime() / 1000 - seconds) > REPLAY_WINDOW_SECONDS) {
    throw new WebhookError(403, 'The SendGrid signature timestamp is outside the 5-minute window (a replay, or a clock far off).');
  }
  const ok = verify('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), parsePublicKey(publicKey), Buffer.from(signature, 'base64'));
  if (!ok) throw new WebhookError(403, 'Invalid SendGrid signature: check the verification key saved in Parley.');
}
