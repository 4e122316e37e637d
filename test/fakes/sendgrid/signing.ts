// SendGrid's Signed Event Webhook (and Inbound Parse signature policies):
// ECDSA on P-256 with SHA-256 over the timestamp header followed by the raw
// request body, the DER signature base64-encoded in a header. The console (and
// the security-policy API) shows the verification key as base64 of the DER
// SubjectPublicKeyInfo ("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...").
// sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.js
// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

export interface WebhookKeys {
  /** base64 DER SPKI, exactly the string SendGrid shows for "Signed Event Webhook Requests". */
  publicKey: string;
  privateKey: KeyObject;
}

export function generateWebhookKeys(): WebhookKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), privateKey };
}

/** base64 DER ECDSA signature over `timestamp + payload` (payload as the exact body bytes). */
export function signSendGridWebhook(privateKey: KeyObject, timestamp: string, payload: string | Buffer): string {
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload]);
  return sign('sha256', signed, privateKey).toString('base64');
}

/** The receiver's side, for tests that want to check a fixture rather than a server. */
export function verifySendGridSignature(publicKey: string, timestamp: string, payload: string | Buffer, signature: string): boolean {
  const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload]);
  return verify('sha256', signed, key, Buffer.from(signature, 'base64'));
}

/** The two signature headers for a body, timestamp defaulting to now (epoch seconds). */
export function signatureHeaders(privateKey: KeyObject, payload: string | Buffer, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  return { [SIGNATURE_HEADER]: signSendGridWebhook(privateKey, timestamp, payload), [TIMESTAMP_HEADER]: timestamp };
}

export interface PostEventWebhookOptions {
  /** Signs the request; unsigned without it (Signed Event Webhook disabled). */
  privateKey?: KeyObject;
  /** Epoch seconds to sign with (default now); an old one simulates a replay. */
  timestamp?: string;
  /** Sends a well-formed signature that does not match the body (signed over different bytes). */
  badSignature?: boolean;
}

/**
 * POSTs events the way the Event Webhook delivers them: one JSON array (a
 * batch, possibly of several messages' events), application/json. SendGrid's
 * bodies end in CRLF, which the signature covers: a receiver that verifies a
 * re-serialised parse instead of the raw bytes fails, as it would in
 * production (sendgrid/sendgrid-csharp#1018, sendgrid/sendgrid-nodejs#1238).
 */
export async function postEventWebhook(url: string, events: object[], opts: PostEventWebhookOptions = {}): Promise<{ status: number; body: string }> {
  const raw = `${JSON.stringify(events)}\r\n`;
  const headers: Record<string, string> = { 'content-type': 'application/json;charset=utf-8', 'user-agent': 'SendGrid Event API' };
  if (opts.privateKey || opts.badSignature) {
    const key = opts.privateKey ?? generateWebhookKeys().privateKey;
    Object.assign(headers, signatureHeaders(key, opts.badSignature ? `${raw} ` : raw, opts.timestamp));
  }
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  return { status: res.status, body: await res.text() };
}
