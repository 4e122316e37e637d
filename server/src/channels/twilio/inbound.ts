// From Twilio's form posts to messages and status updates.
// "A message comes in": https://www.twilio.com/docs/messaging/guides/webhook-request
// Status callbacks: https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
import type { Channel } from '../../generated/prisma/client.ts';
import { toE164 } from '../../phone.ts';
import type { Attachment, InboundMessage, StatusUpdate } from '../types.ts';
import { WebhookError } from '../types.ts';
import { twilioReason } from './errors.ts';
import type { FormParams } from './verify.ts';

const WHATSAPP = 'whatsapp:';

export interface Address {
  channel: Channel;
  /** E.164 */
  number: string;
}

/** "whatsapp:+14155550100" or "+14155550100" → channel and E.164; null for short codes and alphanumeric senders. */
export function parseAddress(raw: string): Address | null {
  const whatsapp = raw.toLowerCase().startsWith(WHATSAPP);
  const number = toE164(whatsapp ? raw.slice(WHATSAPP.length) : raw);
  return number ? { channel: whatsapp ? 'WHATSAPP' : 'SMS', number } : null;
}

/** The thread of one customer number with one of our numbers on one channel. */
export function threadKeyOf(channel: Channel, ours: string, theirs: string): string {
  return `${channel.toLowerCase()}:${ours}:${theirs}`;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'video/mp4': 'mp4', 'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3', 'audio/amr': 'amr', 'application/pdf': 'pdf', 'text/vcard': 'vcf', 'text/x-vcard': 'vcf',
};

function mediaOf(params: Map<string, string>): Attachment[] {
  const count = Math.min(Number.parseInt(params.get('NumMedia') ?? '0', 10) || 0, 20);
  const media: Attachment[] = [];
  for (let i = 0; i < count; i++) {
    const url = params.get(`MediaUrl${i}`);
    if (!url) continue;
    const contentType = params.get(`MediaContentType${i}`) ?? null;
    const ext = contentType ? EXTENSIONS[contentType] : undefined;
    media.push({ name: `${url.split('/').pop() || `media-${i + 1}`}${ext ? `.${ext}` : ''}`, contentType, url, providerId: url.split('/').pop() ?? null });
  }
  return media;
}

export type Inbound = { message: InboundMessage } | { dropped: string };

export function inboundMessage(list: FormParams, accountSid: string): Inbound {
  const params = new Map(list);
  if (params.get('AccountSid') !== accountSid) throw new WebhookError(403, 'This message belongs to another Twilio account than the one connected here.');
  const sid = params.get('MessageSid') ?? params.get('SmsMessageSid') ?? params.get('SmsSid');
  const fromRaw = params.get('From');
  const toRaw = params.get('To');
  if (!sid || !fromRaw || !toRaw) throw new WebhookError(400, 'Not a Twilio message webhook: MessageSid, From and To are required.');
  const from = parseAddress(fromRaw);
  const to = parseAddress(toRaw);
  // Short codes and alphanumeric sender ids cannot be answered, so they cannot be a conversation.
  if (!from) return { dropped: `sender ${fromRaw} is not a phone number` };
  if (!to) return { dropped: `recipient ${toRaw} is not a phone number` };
  const channel = from.channel;
  const threadKey = threadKeyOf(channel, to.number, from.number);
  const profileName = params.get('ProfileName')?.trim() || null;
  return {
    message: {
      channel,
      providerMessageId: sid,
      sender: { id: from.number, phone: from.number, name: channel === 'WHATSAPP' ? profileName : null },
      senderNeedsLookup: false,
      body: params.get('Body') ?? '',
      attachments: mediaOf(params),
      // One burst per customer, our number and channel.
      bundleKey: `${channel.toLowerCase()}:${to.number}`,
      threadKey,
      replyThreadKey: threadKey,
      conversation: { address: from.number, ourAddress: to.number },
      raw: Object.fromEntries(params),
    },
  };
}

const STATUS: Record<string, StatusUpdate['status'] | undefined> = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ',
  undelivered: 'FAILED',
  failed: 'FAILED',
};

/** A status callback; null for the intermediate states (queued, sending, accepted...) that change nothing for us. */
export function statusUpdate(list: FormParams, accountSid: string, messageId: string | null): StatusUpdate | null {
  const params = new Map(list);
  if (params.get('AccountSid') !== accountSid) throw new WebhookError(403, 'This status belongs to another Twilio account than the one connected here.');
  const sid = params.get('MessageSid') ?? params.get('SmsSid');
  const raw = (params.get('MessageStatus') ?? params.get('SmsStatus') ?? '').toLowerCase();
  if (!sid || !raw) throw new WebhookError(400, 'Not a Twilio status callback: MessageSid and MessageStatus are required.');
  const status = STATUS[raw];
  if (!status) return null;
  const errorCode = params.get('ErrorCode') || null;
  return {
    providerMessageId: sid,
    ...(messageId ? { messageId } : {}),
    status,
    errorCode: status === 'FAILED' ? (errorCode ?? raw) : null,
    error: status === 'FAILED' ? twilioReason(errorCode, params.get('ErrorMessage') ?? (raw === 'undelivered' ? 'The carrier could not deliver the message.' : 'Twilio could not send the message.')) : null,
  };
}
