// SendGrid (email) behind the ChannelAdapter interface: Inbound Parse posts to
// a URL carrying a per-integration secret (optionally signed too), replies
// through @sendgrid/mail with threading headers and a Reply-To routing
// address, delivery events through the Event Webhook.
import type { AdapterContext, ChannelAdapter, OutboundReply, SendResult, WebhookRequest, WebhookResult } from '../types.ts';
import { DeliveryError, WebhookError } from '../types.ts';
import { mailService, toDeliveryError } from './client.ts';
import { MESSAGE_ID_ARG, eventUpdates } from './events.ts';
import { emailToMessage, ourMessageId, parseEmail, routingAddress } from './inbound.ts';
import { parseMultipart } from './multipart.ts';
import { sendgridSettings } from './settings.ts';
import { checkPathSecret, verifySignature } from './verify.ts';

/** Inbound Parse posts up to 30 MB (SendGrid's own limit for a message). */
export const MAX_INBOUND_BYTES = 30 * 1024 * 1024;
/** References kept on a reply: the first (the thread's root) and the latest ones. */
const MAX_REFERENCES = 20;

async function base(integration: { id: string }, publicUrl: string, secrets: () => Promise<Record<string, string>>): Promise<string | null> {
  const { inboundSecret } = await secrets();
  return inboundSecret ? `${publicUrl}/webhooks/sendgrid/${integration.id}/${inboundSecret}` : null;
}

/** "Re: <subject>", without piling up prefixes (Re: Re:, AW: Re:, …). */
export function replySubject(subject: string | null | undefined): string {
  let s = (subject ?? '').trim();
  for (;;) {
    const stripped = s.replace(/^(re|aw|sv|antw|ref|r|rif|odp|vs)\s*(\[\d+\])?\s*:\s*/i, '');
    if (stripped === s) break;
    s = stripped;
  }
  return s ? `Re: ${s}` : 'Re: your message';
}

function references(reply: OutboundReply): { inReplyTo: string | null; references: string[] } {
  const usable = (id: string | null | undefined): id is string => !!id && /^<[^<>\s]+>$/.test(id) && !id.endsWith('@parley.invalid>');
  const last = reply.lastInbound;
  // The task's first email names the thread's root, the latest one the rest of the chain; both are
  // needed, as some clients answer with In-Reply-To only (no References).
  const chain = [...(reply.conversation.emailReferences ?? []), ...(last?.conversation.emailReferences ?? [])].filter(usable);
  const inReplyTo = usable(last?.providerMessageId) ? last!.providerMessageId : (chain.at(-1) ?? null);
  // The message answered comes last, as RFC 5322 has it.
  const all = [...new Set(chain.filter((id) => id !== inReplyTo)), ...(inReplyTo ? [inReplyTo] : [])];
  return { inReplyTo, references: all.length > MAX_REFERENCES ? [all[0]!, ...all.slice(-(MAX_REFERENCES - 1))] : all };
}

export const sendgridAdapter: ChannelAdapter = {
  provider: 'SENDGRID',
  maxBodyBytes: MAX_INBOUND_BYTES,
  replySubject,

  webhookUrl: base,

  async statusWebhookUrl(integration, publicUrl, secrets) {
    const url = await base(integration, publicUrl, secrets);
    return url ? `${url}/events` : null;
  },

  async handleWebhook(req: WebhookRequest, ctx: AdapterContext): Promise<WebhookResult> {
    const [, secret, kind = '', ...extra] = req.subpath.split('/');
    checkPathSecret(req.secrets.inboundSecret, secret);
    if (extra.length || (kind !== '' && kind !== 'events')) throw new WebhookError(404, 'No such SendGrid webhook: use the URLs shown in Parley\'s settings.');
    const settings = sendgridSettings(req.integration.config);
    if (settings.webhookPublicKey) verifySignature(settings.webhookPublicKey, req.headers, req.rawBody, req.receivedAt);
    if (kind === 'events') {
      const updates = eventUpdates(req.rawBody);
      return { status: 200, body: '', statusUpdates: updates, ...(updates.length ? {} : { dropped: 'no delivery status in these events' }) };
    }
    const form = await parseMultipart(req.rawBody, req.headers['content-type']);
    const email = parseEmail(form);
    // A copy of our own reply (a Bcc, a forwarding rule): never a customer.
    if (email.from.address === settings.fromEmail) return { status: 200, body: '', dropped: 'from our own sender address' };
    const message = await emailToMessage(email, settings, req.integration.id, ctx);
    return { status: 200, body: '', messages: [message] };
  },

  async send(reply, ctx: AdapterContext): Promise<SendResult> {
    const settings = sendgridSettings(reply.integration.config);
    const to = reply.conversation.address;
    if (!to) throw new DeliveryError('no_address', 'This conversation has no email address to reply to.', { permanent: true });
    const messageId = ourMessageId(reply.messageId, settings.inboundDomain);
    const { inReplyTo, references: refs } = references(reply);
    try {
      const [res] = await mailService(reply.secrets.apiKey!, ctx.config.sendgridApiUrl).send({
        to,
        from: settings.fromName ? { email: settings.fromEmail, name: settings.fromName } : settings.fromEmail,
        replyTo: routingAddress(reply.conversation.routingToken, settings.inboundDomain),
        subject: replySubject(reply.conversation.subject),
        text: reply.body,
        headers: {
          'Message-ID': messageId,
          ...(inReplyTo ? { 'In-Reply-To': inReplyTo } : {}),
          ...(refs.length ? { References: refs.join(' ') } : {}),
        },
        customArgs: { [MESSAGE_ID_ARG]: reply.messageId },
      });
      if (res.statusCode !== 202 && res.statusCode !== 200) throw new DeliveryError(String(res.statusCode), `SendGrid answered ${res.statusCode} instead of 202.`, { permanent: false });
      ctx.log.debug({ messageId: reply.messageId, sendgridId: res.headers['x-message-id'] }, 'email accepted by SendGrid');
      return { providerMessageId: messageId, status: 'SENT' };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      const delivery = toDeliveryError(err);
      if (delivery.opts.integrationBroken) await ctx.markIntegrationError(reply.integration.id, delivery.message);
      throw delivery;
    }
  },
};
