// Identifier generators shared by the fake server and the event builders, so
// that every `ts` handed out in one test process (a bot reply from
// chat.postMessage, a user message built with messageEvent) is unique and
// increasing, like Slack's.
import { randomBytes, randomUUID } from 'node:crypto';

let lastMicros = 0;

/**
 * A Slack message timestamp: epoch seconds, a dot, six digits of microseconds
 * ("1700000000.000100"). Slack uses it as the message id within a channel and
 * guarantees it unique per channel; it is a string and must be compared as one
 * (or as a decimal), never as a float, since floats lose the last digits.
 * https://api.slack.com/messaging/retrieving#individual_messages
 */
export function nextTs(): string {
  lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
  return microsToTs(lastMicros);
}

export function microsToTs(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

let eventCounter = 0;
const EVENT_ID_BASE = 36 ** 9; // ten base-36 digits, so ids sort as they are issued

/** An Events API event id ("Ev0A1B2C3D4E"-like): unique per event, kept across Slack's retries. */
export function nextEventId(): string {
  eventCounter += 1;
  return `Ev${(EVENT_ID_BASE + eventCounter).toString(36).toUpperCase()}`;
}

/** Socket Mode envelope ids are UUIDs ("dbdd0ef3-1543-4f94-bfb4-133d0e6c1545"). */
export const newEnvelopeId = (): string => randomUUID();

/** Messages typed by a person carry a client_msg_id (a UUID) set by the Slack client that sent them. */
export const newClientMsgId = (): string => randomUUID();

/** Opaque random token for Socket Mode connection tickets and block ids. */
export const randomToken = (bytes = 12): string => randomBytes(bytes).toString('hex');
