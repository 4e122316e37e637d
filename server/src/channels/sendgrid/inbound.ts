// From an Inbound Parse post (default, parsed mode) to a customer message.
// https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook
import { createHash } from 'node:crypto';
import type { AdapterContext, Attachment, InboundMessage } from '../types.ts';
import { WebhookError } from '../types.ts';
import { decodeField, type MultipartForm } from './multipart.ts';
import { decodeWords, htmlToText, messageIds, parseAddresses, parseHeaderBlock, type Mailbox } from './mime.ts';
import { newReplyText } from './quotes.ts';
import type { SendGridSettings } from './settings.ts';

/** Our Message-IDs: <parley.<message id>@<inbound domain>>. */
export function ourMessageId(messageId: string, inboundDomain: string): string {
  return `<parley.${messageId}@${inboundDomain}>`;
}

const OUR_ID = /^<parley\.([0-9a-f-]{36})@([^>]+)>$/i;

export function routingAddress(token: string, inboundDomain: string): string {
  return `reply+${token}@${inboundDomain}`;
}

/** Kept in the message's raw payload; the full HTML can be large. */
const MAX_RAW_HTML = 512 * 1024;

export interface ParsedEmail {
  from: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  envelopeTo: string[];
  subject: string;
  text: string;
  html: string | null;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  attachments: Attachment[];
  raw: Record<string, unknown>;
}

function parseJson<T>(text: string | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function parseEmail(form: MultipartForm): ParsedEmail {
  const charsets = parseJson<Record<string, string>>(form.fields.get('charsets'), {});
  const field = (name: string) => decodeField(form, name, charsets);
  const headerBlock = field('headers') ?? '';
  const headers = parseHeaderBlock(headerBlock);
  const header = (name: string) => headers.get(name)?.[0];
  const from = parseAddresses(field('from') ?? header('from'))[0];
  if (!from) throw new WebhookError(400, 'Not an Inbound Parse post: no sender address in "from".');
  const envelope = parseJson<{ to?: string[]; from?: string }>(field('envelope'), {});
  const html = field('html') ?? null;
  const text = field('text') ?? (html ? htmlToText(html) : '');
  const info = parseJson<Record<string, { filename?: string; name?: string; type?: string; 'content-id'?: string }>>(field('attachment-info'), {});
  const attachments: Attachment[] = form.files.map((f) => {
    const meta = info[f.field];
    return {
      name: decodeWords(meta?.filename ?? meta?.name ?? f.filename),
      contentType: meta?.type ?? f.contentType,
      size: f.content.length,
      providerId: meta?.['content-id'] ?? null,
      content: f.content,
    };
  });
  const messageId = messageIds(header('message-id'))[0] ?? null;
  return {
    from,
    to: parseAddresses(field('to') ?? header('to')),
    cc: parseAddresses(field('cc') ?? header('cc')),
    envelopeTo: (envelope.to ?? []).map((a) => a.toLowerCase()),
    subject: decodeWords(field('subject') ?? header('subject') ?? '').trim(),
    text,
    html,
    messageId,
    inReplyTo: messageIds(header('in-reply-to')),
    references: messageIds(headers.get('references')?.join(' ')),
    attachments,
    raw: {
      headers: headerBlock,
      envelope,
      from: field('from'),
      to: field('to'),
      cc: field('cc'),
      subject: field('subject'),
      text: field('text'),
      html: html && html.length > MAX_RAW_HTML ? `${html.slice(0, MAX_RAW_HTML)}…` : html,
      spamScore: field('spam_score'),
      spf: field('SPF'),
      dkim: field('dkim'),
      senderIp: field('sender_ip'),
      attachmentInfo: info,
    },
  };
}

/** The routing token, when the email was sent to one of our reply+<token> addresses. */
function routingToken(email: ParsedEmail, inboundDomain: string): string | null {
  const domain = inboundDomain.toLowerCase();
  const candidates = [...email.envelopeTo, ...email.to.map((m) => m.address), ...email.cc.map((m) => m.address)];
  for (const address of candidates) {
    const m = /^reply\+([a-z0-9]+)@(.+)$/i.exec(address);
    if (m && m[2]!.toLowerCase() === domain) return m[1]!.toLowerCase();
  }
  return null;
}

/** Which thread the email belongs to: a routing address, then a header naming a message we know, else its own thread. */
async function threadOf(email: ParsedEmail, settings: SendGridSettings, integrationId: string, ctx: Pick<AdapterContext, 'findThread'>): Promise<string> {
  const token = routingToken(email, settings.inboundDomain);
  if (token) {
    const thread = await ctx.findThread(integrationId, { routingToken: token });
    if (thread) return thread;
  }
  const named = [...email.inReplyTo, ...email.references];
  if (named.length) {
    const ours = named.flatMap((id) => {
      const m = OUR_ID.exec(id);
      return m ? [m[1]!.toLowerCase()] : [];
    });
    const thread = await ctx.findThread(integrationId, { messageIds: ours, providerMessageIds: named });
    if (thread) return thread;
  }
  // A new conversation, keyed by the email thread: its first message, as References lists it.
  const root = email.references[0] ?? email.inReplyTo[0] ?? email.messageId;
  return `email:${root ?? `${email.from.address}|${email.subject}`}`;
}

function fallbackId(email: ParsedEmail): string {
  const digest = createHash('sha256').update(JSON.stringify([email.from.address, email.subject, email.text, email.raw.headers])).digest('hex');
  return `<sha256.${digest}@parley.invalid>`;
}

export async function emailToMessage(email: ParsedEmail, settings: SendGridSettings, integrationId: string, ctx: Pick<AdapterContext, 'findThread'>): Promise<InboundMessage> {
  const threadKey = await threadOf(email, settings, integrationId, ctx);
  const reply = newReplyText(email.text);
  const providerMessageId = email.messageId ?? fallbackId(email);
  const ourAddress =
    email.to.find((m) => m.address.endsWith(`@${settings.inboundDomain.toLowerCase()}`))?.address ?? email.envelopeTo[0] ?? email.to[0]?.address ?? null;
  return {
    channel: 'EMAIL',
    providerMessageId,
    sender: { id: email.from.address, email: email.from.address, name: email.from.name },
    senderNeedsLookup: false,
    body: reply.text,
    fullBody: reply.trimmed ? email.text.trim() : null,
    attachments: email.attachments,
    bundleKey: threadKey,
    threadKey,
    replyThreadKey: threadKey,
    conversation: {
      address: email.from.address,
      ourAddress,
      subject: email.subject || null,
      emailReferences: [...new Set([...email.references, ...(email.messageId ? [email.messageId] : [])])],
    },
    raw: email.raw,
  };
}
