// Identifiers in the shapes SendGrid hands out, so that code under test which
// stores or parses them (X-Message-Id → sg_message_id correlation) meets the
// same formats as in production.
import { randomBytes } from 'node:crypto';

/**
 * The X-Message-Id header of a 202 from /v3/mail/send: 22 url-safe base64
 * characters (16 random bytes, unpadded), e.g. "W7pXQXm_QpqFHs1j3Kv3Hw".
 * https://www.twilio.com/docs/sendgrid/glossary/x-message-id
 */
export const newMessageId = (): string => randomBytes(16).toString('base64url');

let filterCounter = 0;

/**
 * The sg_message_id of an event: the X-Message-Id, then a suffix naming the
 * filter node that processed one recipient's copy. Receivers that correlate
 * events with sends must strip everything from the first '.' (the suffix
 * varies per recipient and per node), which is why the suffix here is never
 * constant.
 */
export function sgMessageId(messageId: string): string {
  filterCounter += 1;
  const node = randomBytes(3).toString('hex');
  const stamp = Math.floor(Date.now() / 1000).toString(16).toUpperCase();
  return `${messageId}.filterdrecv-${node}-${filterCounter}-${stamp}-${filterCounter % 64}.0`;
}

/** The Message-ID SendGrid stamps on the outgoing mail, reported as `smtp-id` in delivery events. */
export const smtpId = (messageId: string): string => `<${messageId}@geopod-ismtpd-3-0>`;

/** Unique per event and kept across Event Webhook retries, so receivers dedupe on it. */
export const newEventId = (): string => randomBytes(16).toString('base64url');
