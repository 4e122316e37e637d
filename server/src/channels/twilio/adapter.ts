// Twilio (SMS and WhatsApp) behind the ChannelAdapter interface: signed
// "A message comes in" webhooks and status callbacks, replies with
// messages.create from the number the customer wrote to.
import type { AdapterContext, ChannelAdapter, OutboundReply, SendResult, WebhookRequest, WebhookResult } from '../types.ts';
import { DeliveryError, WebhookError } from '../types.ts';
import { toDeliveryError, twilioClient } from './client.ts';
import { inboundMessage, statusUpdate } from './inbound.ts';
import { twilioSettings } from './settings.ts';
import { verifyTwilioRequest, type FormParams } from './verify.ts';

/** Twilio's own limit for one message (SMS and WhatsApp). */
export const MAX_TWILIO_BODY = 1600;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function webhookBase(integrationId: string, publicUrl: string): string {
  return `${publicUrl}/webhooks/twilio/${integrationId}`;
}

function formParams(req: WebhookRequest): FormParams {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new WebhookError(400, 'Twilio posts application/x-www-form-urlencoded; this body is something else.');
  return [...new URLSearchParams(req.rawBody.toString('utf8'))];
}

function route(reply: OutboundReply): { from: string; to: string } {
  const settings = twilioSettings(reply.integration.config);
  const whatsapp = reply.conversation.channel === 'WHATSAPP';
  const ours = reply.conversation.ourAddress ?? (whatsapp ? settings.whatsappNumber : settings.smsNumber);
  const theirs = reply.conversation.address;
  if (!ours || !theirs) throw new DeliveryError('no_number', 'This conversation has no phone numbers to reply between.', { permanent: true });
  const prefix = whatsapp ? 'whatsapp:' : '';
  return { from: `${prefix}${ours}`, to: `${prefix}${theirs}` };
}

export const twilioAdapter: ChannelAdapter = {
  provider: 'TWILIO',
  maxReplyLength: MAX_TWILIO_BODY,

  async webhookUrl(integration, publicUrl) {
    return webhookBase(integration.id, publicUrl);
  },

  async handleWebhook(req: WebhookRequest): Promise<WebhookResult> {
    const authToken = req.secrets.authToken;
    if (!authToken) throw new WebhookError(410, 'This Twilio integration has no credentials any more: connect it again in Parley.');
    const params = formParams(req);
    verifyTwilioRequest(authToken, req.headers['x-twilio-signature'], req.publicUrl, params);
    const { accountSid } = twilioSettings(req.integration.config);
    if (req.subpath === '/status') {
      const update = statusUpdate(params, accountSid, new URL(req.publicUrl).searchParams.get('message'));
      return { status: 204, body: '', ...(update ? { statusUpdates: [update] } : { dropped: 'intermediate status' }) };
    }
    if (req.subpath !== '') throw new WebhookError(404, 'No such Twilio webhook: use the URL shown in Parley\'s settings.');
    const inbound = inboundMessage(params, accountSid);
    // Empty TwiML: no automatic answer; replies come from people, through the API.
    const answer = { status: 200, body: EMPTY_TWIML, contentType: 'text/xml; charset=utf-8' };
    return 'message' in inbound ? { ...answer, messages: [inbound.message] } : { ...answer, dropped: inbound.dropped };
  },

  async findSent(reply, ctx) {
    const { from, to } = route(reply);
    const { accountSid } = twilioSettings(reply.integration.config);
    // Twilio's clock, not ours: a minute of slack before the earlier attempt started.
    const since = (reply.previousAttemptAt ?? new Date()).getTime() - 60_000;
    let recent;
    try {
      // The latest messages between the two numbers, newest first. Not filtered by DateSent: a message
      // Twilio accepted but has not sent yet (queued, maybe for hours) has no date_sent and matches no date.
      recent = await twilioClient(accountSid, reply.secrets.authToken!, ctx.config.twilioApiUrl).messages.list({ from, to, limit: 50 });
    } catch (err) {
      throw toDeliveryError(err);
    }
    const candidates = recent.filter((m) => m.body === reply.body && m.dateCreated instanceof Date && m.dateCreated.getTime() >= since);
    if (candidates.length === 0) return null;
    // An earlier reply with the same text is not this one: skip messages another reply already owns.
    const owned = await ctx.prisma.message.findMany({
      where: { integrationId: reply.integration.id, providerMessageId: { in: candidates.map((m) => m.sid) }, id: { not: reply.messageId } },
      select: { providerMessageId: true },
    });
    const taken = new Set(owned.map((m) => m.providerMessageId));
    const ours = candidates.filter((m) => !taken.has(m.sid)).sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())[0];
    return ours?.sid ?? null;
  },

  async send(reply, ctx: AdapterContext): Promise<SendResult> {
    const { from, to } = route(reply);
    const { accountSid } = twilioSettings(reply.integration.config);
    try {
      const sent = await twilioClient(accountSid, reply.secrets.authToken!, ctx.config.twilioApiUrl).messages.create({
        from,
        to,
        body: reply.body,
        // Our id in the URL: a callback can overtake the moment we store Twilio's sid.
        statusCallback: `${webhookBase(reply.integration.id, ctx.config.publicUrl)}/status?message=${encodeURIComponent(reply.messageId)}`,
      });
      return { providerMessageId: sent.sid, status: 'SENT' };
    } catch (err) {
      const delivery = toDeliveryError(err);
      if (delivery.opts.integrationBroken) await ctx.markIntegrationError(reply.integration.id, delivery.message);
      throw delivery;
    }
  },
};
