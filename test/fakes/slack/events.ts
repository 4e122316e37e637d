// Builders for Events API bodies, shaped like what Slack sends (over HTTP to a
// Request URL, or as the `payload` of a Socket Mode envelope).
// https://api.slack.com/apis/events-api#callback-field
import { newClientMsgId, nextEventId, nextTs, randomToken } from './ids.ts';

export interface EventCallbackInput {
  teamId: string;
  apiAppId?: string;
  /** Stays the same when Slack retries a delivery: use it to deduplicate. */
  eventId?: string;
  /** Epoch seconds. Defaults to the event's event_ts (or now). */
  eventTime?: number;
  event: Record<string, unknown>;
  /** The installation the event is delivered for (authorizations[0].user_id): usually the bot user. */
  authorizedUserId?: string;
}

export interface EventCallbackBody {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown>;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: { enterprise_id: string | null; team_id: string; user_id: string; is_bot: boolean; is_enterprise_install: boolean }[];
  is_ext_shared_channel: boolean;
  event_context: string;
  context_team_id: string;
  context_enterprise_id: string | null;
}

/**
 * The outer event_callback body. `token` is the deprecated verification token
 * (check request signatures instead); `authorizations` lists one of the
 * installations the event is visible to (apps.event.authorizations.list has
 * the rest).
 */
export function eventCallback(input: EventCallbackInput): EventCallbackBody {
  const eventTs = typeof input.event.event_ts === 'string' ? input.event.event_ts : undefined;
  return {
    token: 'legacy',
    team_id: input.teamId,
    api_app_id: input.apiAppId ?? 'A0FAKEAPP01',
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId ?? nextEventId(),
    event_time: input.eventTime ?? Math.floor(eventTs ? Number.parseFloat(eventTs) : Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: input.teamId, user_id: input.authorizedUserId ?? 'U0FAKEBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ et: input.event.type, tid: input.teamId, cid: input.event.channel })).toString('base64')}`,
    context_team_id: input.teamId,
    context_enterprise_id: null,
  };
}

export interface MessageEventInput {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  /** For a reply in a thread: the parent's ts. */
  threadTs?: string;
  parentUserId?: string;
  channelType: 'channel' | 'group' | 'im' | 'mpim';
  /** e.g. 'file_share', 'bot_message', 'channel_join'. Plain messages have none. */
  subtype?: string;
  /** Set for messages posted by an app/bot (they have no client_msg_id). */
  botId?: string;
  files?: Record<string, unknown>[];
  team?: string;
}

/** Slack sends the text again as Block Kit rich text in `blocks` for messages typed in a client. */
function richText(text: string): unknown[] {
  return [
    {
      type: 'rich_text',
      block_id: randomToken(3),
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ];
}

/**
 * A `message` event. https://api.slack.com/events/message
 * - channel_type: 'channel' (public), 'group' (private channel), 'im', 'mpim'.
 * - ts identifies the message; event_ts equals it for new messages.
 * - A thread reply has thread_ts (the parent's ts) and parent_user_id; a
 *   thread parent has thread_ts === ts.
 * - Messages a person typed carry client_msg_id; bot messages carry bot_id
 *   instead (and Parley must ignore its own to avoid loops).
 * - File uploads are subtype 'file_share' with `files` and `upload: false`.
 */
export function messageEvent(input: MessageEventInput): Record<string, unknown> {
  const ts = input.ts ?? nextTs();
  const fromBot = input.botId !== undefined || input.subtype === 'bot_message';
  return {
    type: 'message',
    ...(input.subtype ? { subtype: input.subtype } : {}),
    ...(fromBot ? {} : { client_msg_id: newClientMsgId() }),
    text: input.text,
    user: input.user,
    ...(input.botId ? { bot_id: input.botId } : {}),
    ts,
    ...(fromBot ? {} : { blocks: richText(input.text) }),
    ...(input.team ? { team: input.team } : {}),
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    ...(input.threadTs && input.parentUserId ? { parent_user_id: input.parentUserId } : {}),
    ...(input.files ? { files: input.files, upload: false, display_as_bot: false } : {}),
    channel: input.channel,
    event_ts: ts,
    channel_type: input.channelType,
  };
}

export interface AppMentionEventInput {
  channel: string;
  user: string;
  /** Should contain the mention, e.g. `<@U0FAKEBOT> help`. */
  text: string;
  ts?: string;
  threadTs?: string;
  team?: string;
}

/**
 * An `app_mention` event: sent in addition to the `message` event (when
 * subscribed to both), with the same ts, and without channel_type.
 * https://api.slack.com/events/app_mention
 */
export function appMentionEvent(input: AppMentionEventInput): Record<string, unknown> {
  const ts = input.ts ?? nextTs();
  return {
    type: 'app_mention',
    client_msg_id: newClientMsgId(),
    text: input.text,
    user: input.user,
    ts,
    blocks: richText(input.text),
    ...(input.team ? { team: input.team } : {}),
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    channel: input.channel,
    event_ts: ts,
  };
}

/**
 * An edit: subtype message_changed, hidden: true, the new version in
 * `message` and the old one in `previous_message`; event ts is new, the
 * edited message keeps its ts. https://api.slack.com/events/message/message_changed
 */
export function messageChangedEvent(input: { channel: string; channelType: MessageEventInput['channelType']; previous: Record<string, unknown>; newText: string }): Record<string, unknown> {
  const eventTs = nextTs();
  const { channel: _c, event_ts: _e, channel_type: _t, ...previous } = input.previous;
  return {
    type: 'message',
    subtype: 'message_changed',
    message: { ...previous, text: input.newText, edited: { user: previous.user, ts: eventTs } },
    previous_message: previous,
    channel: input.channel,
    hidden: true,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: input.channelType,
  };
}

/** A deletion: subtype message_deleted with deleted_ts. https://api.slack.com/events/message/message_deleted */
export function messageDeletedEvent(input: { channel: string; channelType: MessageEventInput['channelType']; deletedTs: string }): Record<string, unknown> {
  const eventTs = nextTs();
  return {
    type: 'message',
    subtype: 'message_deleted',
    previous_message: { type: 'message', ts: input.deletedTs },
    channel: input.channel,
    hidden: true,
    deleted_ts: input.deletedTs,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: input.channelType,
  };
}

/**
 * The handshake Slack sends when a Request URL is saved: answer HTTP 200 with
 * the challenge (plain text, or JSON `{ challenge }`).
 * https://api.slack.com/events/url_verification
 */
export function urlVerification(challenge: string, token = 'legacy'): { token: string; challenge: string; type: 'url_verification' } {
  return { token, challenge, type: 'url_verification' };
}
