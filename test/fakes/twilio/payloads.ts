// The parameters Twilio posts to a number's "A message comes in" webhook and
// to a message's StatusCallback, with the same names, values and order as
// Twilio's requests. Values are strings: it is a form.
// https://www.twilio.com/docs/messaging/guides/webhook-request
// https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
import { createHash } from 'node:crypto';
import { asWhatsApp, bareNumber, countryOf } from './addresses.ts';
import { nextMessageSid } from './ids.ts';
import { API_VERSION } from './resources.ts';
import { countSegments } from './segments.ts';
import type { CallbackStatus, SentMessage } from './state.ts';

// A conditional group of parameters (spread in place to keep Twilio's order).
const when = (cond: boolean, params: Record<string, string>): Record<string, string> => (cond ? params : {});

export interface InboundMedia {
  /** Where the receiver fetches it (Twilio: https://api.twilio.com/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…). */
  url: string;
  contentType: string;
}

export interface InboundSmsInput {
  accountSid: string;
  /** E.164 sender. */
  from: string;
  /** The account's number that received it. */
  to: string;
  body: string;
  /** Default: a new SM sid, or MM when there is media. */
  messageSid?: string;
  media?: InboundMedia[];
  /** Parameters to add or override (MessagingServiceSid, FromCity...). */
  extra?: Record<string, string>;
}

export interface InboundWhatsAppInput extends InboundSmsInput {
  /** The sender's WhatsApp profile name; omitted when not given, as for a user without one. */
  profileName?: string;
}

// Media parameters come first in Twilio's requests.
function mediaParams(media: InboundMedia[]): Record<string, string> {
  const out: Record<string, string> = {};
  media.forEach((m, i) => {
    out[`MediaContentType${i}`] = m.contentType;
    out[`MediaUrl${i}`] = m.url;
  });
  return out;
}

/** An SMS/MMS arriving at one of the account's numbers. */
export function inboundSms(input: InboundSmsInput): Record<string, string> {
  const media = input.media ?? [];
  const sid = input.messageSid ?? nextMessageSid(media.length > 0 ? 'MM' : 'SM');
  return {
    ...mediaParams(media),
    // Twilio looks the numbers up; it sends empty strings for what it does not know.
    ToCountry: countryOf(input.to),
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: input.body,
    FromCountry: countryOf(input.from),
    To: input.to,
    ToZip: '',
    NumSegments: String(countSegments(input.body)),
    ReferralNumMedia: '0',
    MessageSid: sid,
    AccountSid: input.accountSid,
    From: input.from,
    ApiVersion: API_VERSION,
    ...input.extra,
  };
}

function whatsAppMessageType(media: InboundMedia[]): string {
  const type = media[0]?.contentType;
  if (!type) return 'text';
  for (const kind of ['image', 'video', 'audio']) if (type.startsWith(`${kind}/`)) return kind;
  return 'document';
}

/** A WhatsApp message to one of the account's senders. `from`/`to` may omit the whatsapp: prefix. */
export function inboundWhatsApp(input: InboundWhatsAppInput): Record<string, string> {
  const media = input.media ?? [];
  const sid = input.messageSid ?? nextMessageSid(media.length > 0 ? 'MM' : 'SM');
  return {
    ...mediaParams(media),
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    ...when(input.profileName !== undefined, { ProfileName: input.profileName ?? '' }),
    MessageType: whatsAppMessageType(media),
    SmsSid: sid,
    // The sender's WhatsApp id: their number without the +.
    WaId: bareNumber(input.from).replace(/^\+/, ''),
    SmsStatus: 'received',
    Body: input.body,
    To: asWhatsApp(input.to),
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageSid: sid,
    AccountSid: input.accountSid,
    From: asWhatsApp(input.from),
    ApiVersion: API_VERSION,
    ...input.extra,
  };
}

// "YYMMDDhhmm" (UTC), the carrier's delivery receipt time Twilio passes on for SMS.
function rawDlrDoneDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}`;
}

// Twilio masks the end of the recipient in ChannelToAddress.
const maskAddress = (number: string): string => (number.length > 6 ? `${number.slice(0, -4)}XXXX` : number);

// The same install sid for every message of one sender, as Twilio's is per
// WhatsApp sender (XE + 32 hex).
const channelInstallSid = (accountSid: string, from: string): string =>
  `XE${createHash('sha256').update(`${accountSid}|${from}`).digest('hex').slice(0, 32)}`;

const WHATSAPP_EVENT: Partial<Record<CallbackStatus, string>> = { delivered: 'DELIVERED', read: 'READ', undelivered: 'UNDELIVERED' };

/** What Twilio posts to a message's StatusCallback when its status changes. */
export function statusCallbackParams(
  message: Pick<SentMessage, 'sid' | 'accountSid' | 'from' | 'to'>,
  status: CallbackStatus,
  opts: { errorCode?: string; at?: Date } = {},
): Record<string, string> {
  const errorCode = when(opts.errorCode !== undefined, { ErrorCode: opts.errorCode ?? '' });
  if (message.to.startsWith('whatsapp:')) {
    const event = WHATSAPP_EVENT[status];
    return {
      ...when(event !== undefined, { EventType: event ?? '' }),
      SmsSid: message.sid,
      SmsStatus: status,
      MessageStatus: status,
      ChannelToAddress: maskAddress(bareNumber(message.to)),
      To: message.to,
      ChannelPrefix: 'whatsapp',
      MessageSid: message.sid,
      AccountSid: message.accountSid,
      ...when(status === 'sent', { StructuredMessage: 'false' }),
      From: message.from,
      ApiVersion: API_VERSION,
      ChannelInstallSid: channelInstallSid(message.accountSid, message.from),
      ...errorCode,
    };
  }
  return {
    SmsSid: message.sid,
    SmsStatus: status,
    MessageStatus: status,
    To: message.to,
    MessageSid: message.sid,
    AccountSid: message.accountSid,
    From: message.from,
    ApiVersion: API_VERSION,
    ...when(status === 'delivered' || status === 'undelivered', { RawDlrDoneDate: rawDlrDoneDate(opts.at ?? new Date()) }),
    ...errorCode,
  };
}
