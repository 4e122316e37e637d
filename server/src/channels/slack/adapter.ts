// Slack behind the ChannelAdapter interface: Events API webhooks, Socket Mode
// (socket.ts), users.info look-ups and threaded replies with chat.postMessage.
import type { AdapterContext, ChannelAdapter, OutboundReply, SendResult, SenderIdentity, WebhookRequest, WebhookResult } from '../types.ts';
import { DeliveryError, WebhookError } from '../types.ts';
import { slackClient, slackErrorCode, toDeliveryError } from './client.ts';
import { eventToMessages, parseEnvelope } from './inbound.ts';
import { slackConnector } from './socket.ts';
import { plainToSlackText } from './text.ts';
import { verifySlackRequest } from './verify.ts';

/** Marks our own posts so a retry after a crash can find what was already sent. */
const REPLY_EVENT_TYPE = 'parley_reply';

function conversationOf(reply: OutboundReply): { channel: string; threadTs: string | undefined } {
  const channel = reply.conversation.slackChannelId;
  if (!channel) throw new DeliveryError('no_channel', 'This task has no Slack channel to reply to.', { permanent: true });
  return { channel, threadTs: reply.conversation.slackThreadTs ?? undefined };
}

export const slackAdapter: ChannelAdapter = {
  provider: 'SLACK',

  async webhookUrl(integration, publicUrl) {
    const mode = (integration.config as { mode?: string } | null)?.mode;
    return mode === 'socket' ? null : `${publicUrl}/webhooks/slack/${integration.id}`;
  },

  async handleWebhook(req: WebhookRequest, ctx: AdapterContext): Promise<WebhookResult> {
    const signingSecret = req.secrets.signingSecret;
    if (!signingSecret) throw new WebhookError(404, 'This Slack integration uses Socket Mode and takes no webhooks.');
    verifySlackRequest(signingSecret, req.headers, req.rawBody, req.receivedAt);
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new WebhookError(400, 'The body is not JSON.');
    }
    const envelope = parseEnvelope(json);
    if (!envelope) throw new WebhookError(400, 'Not a Slack Events API payload (expected url_verification or event_callback).');
    if (envelope.type === 'url_verification') return { status: 200, body: envelope.challenge, contentType: 'text/plain' };
    return eventToMessages(envelope, req.integration, ctx);
  },

  async lookupSender(integration, secrets, senderId, ctx): Promise<SenderIdentity> {
    try {
      const res = await slackClient(secrets.botToken!, ctx.config.slackApiUrl).users.info({ user: senderId });
      const user = res.user;
      const profile = user?.profile;
      const name = profile?.real_name || user?.real_name || profile?.display_name || user?.name || null;
      return { id: senderId, slackUserId: senderId, name, email: profile?.email?.toLowerCase() ?? null };
    } catch (err) {
      const delivery = toDeliveryError(err);
      if (delivery.opts.integrationBroken) await ctx.markIntegrationError(integration.id, delivery.message);
      // users_not_found and friends: keep the bare id rather than losing the message.
      if (slackErrorCode(err) === 'user_not_found' || slackErrorCode(err) === 'user_not_visible') return { id: senderId, slackUserId: senderId };
      throw delivery;
    }
  },

  async findSent(reply, ctx) {
    const { channel, threadTs } = conversationOf(reply);
    if (!threadTs) return null;
    const client = slackClient(reply.secrets.botToken!, ctx.config.slackApiUrl);
    try {
      for await (const page of client.paginate('conversations.replies', { channel, ts: threadTs, include_all_metadata: true, limit: 200 })) {
        const messages = (page as { messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: { message_id?: string } } }[] }).messages ?? [];
        const mine = messages.find((m) => m.metadata?.event_type === REPLY_EVENT_TYPE && m.metadata.event_payload?.message_id === reply.messageId);
        if (mine?.ts) return mine.ts;
      }
      return null;
    } catch (err) {
      throw toDeliveryError(err);
    }
  },

  async send(reply, ctx): Promise<SendResult> {
    const { channel, threadTs } = conversationOf(reply);
    try {
      const res = await slackClient(reply.secrets.botToken!, ctx.config.slackApiUrl).chat.postMessage({
        channel,
        text: plainToSlackText(reply.body),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: { event_type: REPLY_EVENT_TYPE, event_payload: { message_id: reply.messageId } },
      });
      if (!res.ts) throw new DeliveryError('no_ts', 'Slack accepted the message but returned no ts.', { permanent: true });
      return { providerMessageId: res.ts, status: 'SENT' };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      const delivery = toDeliveryError(err);
      if (delivery.opts.integrationBroken) await ctx.markIntegrationError(reply.integration.id, delivery.message);
      throw delivery;
    }
  },

  connector: slackConnector,
};
