// Events API payloads (https://api.slack.com/apis/events-api#callback-field),
// validated at the boundary, and the rules that decide which messages are new
// customer content (https://api.slack.com/events/message).
import { z } from 'zod';
import type { Attachment, InboundMessage } from '../types.ts';
import type { SlackSettings } from './settings.ts';
import { slackTextToPlain } from './text.ts';

const fileSchema = z.object({
  id: z.string().optional(),
  name: z.string().nullish(),
  title: z.string().nullish(),
  mimetype: z.string().nullish(),
  size: z.number().nullish(),
  url_private: z.string().nullish(),
  permalink: z.string().nullish(),
}).passthrough();

export const messageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().nullish(),
  text: z.string().optional().default(''),
  ts: z.string(),
  thread_ts: z.string().optional(),
  files: z.array(fileSchema).optional(),
}).passthrough();

export const envelopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('url_verification'), challenge: z.string() }).passthrough(),
  z.object({
    type: z.literal('event_callback'),
    team_id: z.string(),
    event_id: z.string(),
    event: z.object({ type: z.string() }).passthrough(),
  }).passthrough(),
  z.object({ type: z.literal('app_rate_limited') }).passthrough(),
]);

export type SlackEnvelope = z.infer<typeof envelopeSchema>;

/** Subtypes that carry new content from a person; everything else (edits, deletions, joins, topics, bot_message...) is dropped. */
const CONTENT_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

export interface FilterState {
  settings: SlackSettings;
  monitoredChannels: ReadonlySet<string>;
  channelNames: ReadonlyMap<string, string>;
}

export type Parsed = { message: InboundMessage } | { dropped: string };

function isDirectMessage(event: z.infer<typeof messageEventSchema>): boolean {
  return event.channel_type === 'im' || event.channel.startsWith('D');
}

function attachmentsOf(event: z.infer<typeof messageEventSchema>): Attachment[] {
  return (event.files ?? []).map((f) => ({
    name: f.name ?? f.title ?? 'file',
    contentType: f.mimetype ?? null,
    size: f.size ?? null,
    url: f.permalink ?? f.url_private ?? null,
    providerId: f.id ?? null,
  }));
}

/** Turns one event_callback into a customer message, or says why it is dropped. */
export function parseEvent(envelope: Extract<SlackEnvelope, { type: 'event_callback' }>, state: FilterState): Parsed {
  const { settings } = state;
  if (envelope.team_id !== settings.teamId) return { dropped: `event from another Slack workspace (${envelope.team_id})` };
  if (envelope.event.type !== 'message' && envelope.event.type !== 'app_mention') return { dropped: `event type ${envelope.event.type}` };
  const result = messageEventSchema.safeParse(envelope.event);
  if (!result.success) return { dropped: 'message event without channel or ts' };
  const event = result.data;
  if (!CONTENT_SUBTYPES.has(event.subtype)) return { dropped: `subtype ${event.subtype}` };
  if (event.bot_id || !event.user) return { dropped: 'sent by a bot' };
  if (event.user === settings.botUserId) return { dropped: 'sent by our own bot user' };
  if (settings.allowedUserIds.length > 0 && !settings.allowedUserIds.includes(event.user)) return { dropped: 'user not in the allowed list' };
  const direct = isDirectMessage(event);
  if (!direct && !state.monitoredChannels.has(event.channel)) return { dropped: `channel ${event.channel} is not monitored` };

  // A thread's parent carries thread_ts === ts: it is a top-level message.
  const threadTs = event.thread_ts && event.thread_ts !== event.ts ? event.thread_ts : undefined;
  const threadRoot = threadTs ?? event.ts;
  const body = slackTextToPlain(event.text).trim();
  const attachments = attachmentsOf(event);
  if (!body && attachments.length === 0) return { dropped: 'empty message' };
  return {
    message: {
      channel: 'SLACK',
      // The message's identity, not the event's: a mention arrives as both `message` and `app_mention`, with one ts.
      providerMessageId: `${event.channel}:${event.ts}`,
      sender: { id: event.user, slackUserId: event.user },
      senderNeedsLookup: true,
      body,
      attachments,
      bundleKey: `${event.channel}:${threadTs ?? 'top'}`,
      threadKey: `${event.channel}:${threadRoot}`,
      replyThreadKey: `${event.channel}:${threadRoot}`,
      conversation: {
        slackChannelId: event.channel,
        slackChannelName: direct ? 'Direct message' : (state.channelNames.get(event.channel) ?? null),
        slackThreadTs: threadRoot,
      },
      raw: envelope,
    },
  };
}
