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
    const since = reply.previousAttemptAt ?? new Date();
    try {
      // Twilio filters by day: look at that day's messages between the two numbers, newest first.
      const sent = await twilioClient(accountSid, reply.secrets.authToken!, ctx.config.twilioApiUrl).messages.list({ from, to, dateSentAfter: new Date(since.getTime() - 86_400_000), limit: 50 });
      const ours = sent.find((m) => m.body === reply.body && m.dateCreated && m.dateCreated.getTime() >= since.getTime() - 60_000);
      return ours?.sid ?? null;
    } catch (err) {
      throw toDeliveryError(err);
    }
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
