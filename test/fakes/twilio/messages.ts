// POST /2010-04-01/Accounts/{Sid}/Messages.json: the checks Twilio makes
// before it accepts (queues) a message, each failing with Twilio's error code.
// Everything after acceptance (sent, delivered, failed) happens later and
// reaches the sender only through status callbacks (see FakeTwilio.sendStatus).
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
import { parseAddress } from './addresses.ts';
import * as errors from './errors.ts';
import type { ApiError } from './errors.ts';
import { nextMessageSid } from './ids.ts';
import { countSegments } from './segments.ts';
import type { Account, StoredMessage } from './state.ts';

export type FormParams = Record<string, string | string[]>;

const MAX_BODY_CHARS = 1600;
const MAX_MEDIA = 10;

/** A parameter sent once; Twilio reads the first of repeated single-valued ones. */
export function single(params: FormParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

export function multiple(params: FormParams, name: string): string[] {
  const value = params[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

const isHttpUrl = (raw: string): boolean => {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

export function createMessage(account: Account, params: FormParams, now = new Date()): StoredMessage | ApiError {
  if (account.status !== 'active') return errors.accountNotActive(account.status);

  const to = single(params, 'To');
  if (!to) return errors.toRequired();
  const toAddress = parseAddress(to);
  if (!toAddress) return errors.invalidTo(to);

  const from = single(params, 'From');
  if (!from) {
    // Sending through a Messaging Service instead of a From is real Twilio
    // usage, but the fake has no services.
    const service = single(params, 'MessagingServiceSid');
    return service ? errors.unknownMessagingService(service) : errors.fromRequired();
  }
  const fromAddress = parseAddress(from);
  if (!fromAddress) return errors.invalidFrom(from);
  if (fromAddress.channel !== toAddress.channel) return errors.channelMismatch();
  if (!account.numbers.includes(fromAddress.number)) return errors.invalidFrom(from);

  const body = single(params, 'Body') ?? '';
  const mediaUrls = multiple(params, 'MediaUrl');
  if (body === '' && mediaUrls.length === 0) return errors.bodyRequired();
  // Twilio counts characters, not UTF-16 units or bytes.
  if ([...body].length > MAX_BODY_CHARS) return errors.bodyTooLong();
  if (mediaUrls.length > MAX_MEDIA) return errors.tooManyMedia();
  const badMedia = mediaUrls.find((u) => !isHttpUrl(u));
  if (badMedia !== undefined) return errors.invalidMediaUrl(badMedia);

  const statusCallback = single(params, 'StatusCallback');
  if (statusCallback !== undefined && !isHttpUrl(statusCallback)) return errors.invalidStatusCallback(statusCallback);

  return {
    sent: {
      sid: nextMessageSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
      accountSid: account.sid,
      from,
      to,
      body,
      ...(statusCallback !== undefined ? { statusCallback } : {}),
      mediaUrls,
      status: 'queued',
      createdAt: now,
    },
    // WhatsApp is not split into SMS segments; Twilio reports 1.
    numSegments: toAddress.channel === 'whatsapp' ? 1 : countSegments(body),
    errorCode: null,
    dateUpdated: now,
    dateSent: null,
  };
}

export const isApiError = (x: StoredMessage | ApiError): x is ApiError => !('sent' in x);
