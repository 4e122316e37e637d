// Twilio identifiers: a two-letter type prefix and 32 lowercase hex digits
// ("SM" + 32 hex = the 34 characters Twilio documents). Random rather than
// sequential so that sids from several fakes, builders and test files in one
// process never collide, as with real Twilio.
import { randomBytes, randomUUID } from 'node:crypto';

/** e.g. randomSid('AC') for a test account, 'XE' for a channel install. */
export function randomSid(prefix: string): string {
  if (!/^[A-Z]{2}$/.test(prefix)) throw new Error(`fake twilio: a sid prefix is two capital letters, not ${prefix}`);
  return prefix + randomBytes(16).toString('hex');
}

/** A Message sid: Twilio uses MM for messages that carry media, SM otherwise. */
export function nextMessageSid(prefix: 'SM' | 'MM' = 'SM'): string {
  return randomSid(prefix);
}

/** Request ids (Twilio-Request-Id header) look like sids with an RQ prefix. */
export const newRequestId = (): string => randomSid('RQ');

/**
 * Value of the I-Twilio-Idempotency-Token header: Twilio keeps it across
 * its retries of one webhook delivery, so a receiver can drop duplicates.
 */
export const newIdempotencyToken = (): string => randomUUID();
