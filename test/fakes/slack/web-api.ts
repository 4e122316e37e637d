// The Web API methods Parley uses, answering like Slack: always a JSON object
// with `ok`, errors as `{ ok: false, error: '<code>' }` under HTTP 200.
// https://api.slack.com/web#responses
import { nextTs } from './ids.ts';
import type { PostedMessage, Channel, SlackState, User, Workspace } from './state.ts';
import { channelView, userView } from './views.ts';

export type ApiResult = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

export interface MethodContext {
  state: SlackState;
  params: Record<string, unknown>;
  /** Issues a one-use Socket Mode URL for an app-level token. */
  openSocketUrl(appToken: string, appId: string): string;
}

interface BotMethod {
  tokenType: 'bot';
  run(ws: Workspace, ctx: MethodContext): ApiResult;
}
interface AppMethod {
  tokenType: 'app';
  run(app: { appId: string; appToken: string }, ctx: MethodContext): ApiResult;
}

const fail = (error: string): ApiResult => ({ ok: false, error });

/** A parameter as a string: form bodies carry strings, JSON bodies may carry numbers or booleans. */
function str(params: Record<string, unknown>, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Slack booleans arrive as true/false, "true"/"false" or 1/0. */
function bool(params: Record<string, unknown>, key: string): boolean {
  const v = str(params, key);
  return v === 'true' || v === '1';
}

const CONVERSATION_TYPES = ['public_channel', 'private_channel', 'mpim', 'im'] as const;
type ConversationType = (typeof CONVERSATION_TYPES)[number];

function typeOf(ch: Channel): ConversationType {
  if (ch.isIm) return 'im';
  return ch.isPrivate ? 'private_channel' : 'public_channel';
}

/**
 * What the bot can see: every public channel, but private channels and IMs
 * only when it is a member ("private_channel" lists only those the caller is
 * in). https://api.slack.com/methods/conversations.list
 */
const visible = (ch: Channel): boolean => !ch.isPrivate || ch.isMember;

// Cursors are opaque base64 strings in Slack ("dGVhbTpDMDYxRkE1UEI="); ours
// encode the id of the first channel of the next page.
// https://api.slack.com/apis/pagination
const encodeCursor = (id: string) => Buffer.from(`next:${id}`).toString('base64');
const decodeCursor = (cursor: string) => {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return text.startsWith('next:') ? text.slice(5) : undefined;
};

export const METHODS: Record<string, BotMethod | AppMethod> = {
  // https://api.slack.com/methods/auth.test
  'auth.test': {
    tokenType: 'bot',
    run: (ws) => ({
      ok: true,
      url: `https://${ws.domain}.slack.com/`,
      team: ws.teamName,
      user: ws.botName,
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: false,
    }),
  },

  // https://api.slack.com/methods/conversations.list
  'conversations.list': {
    tokenType: 'bot',
    run: (ws, { params }) => {
      const types = (str(params, 'types') || 'public_channel').split(',').map((t) => t.trim());
      if (types.some((t) => !(CONVERSATION_TYPES as readonly string[]).includes(t))) return fail('invalid_types');
      // limit: "fewer than 1000"; default 100. Real Slack may return fewer
      // items than asked (even zero) with a next_cursor; this fake fills pages.
      const rawLimit = Number.parseInt(str(params, 'limit') ?? '', 10);
      const limit = Number.isNaN(rawLimit) || rawLimit <= 0 ? 100 : Math.min(rawLimit, 1000);
      const excludeArchived = bool(params, 'exclude_archived');
      const all = [...ws.channels.values()].filter(
        (ch) => visible(ch) && types.includes(typeOf(ch)) && !(excludeArchived && ch.isArchived),
      );
      let start = 0;
      const cursor = str(params, 'cursor');
      if (cursor) {
        const id = decodeCursor(cursor);
        start = all.findIndex((ch) => ch.id === id);
        if (start < 0) return fail('invalid_cursor');
      }
      const page = all.slice(start, start + limit);
      const next = all[start + limit];
      return {
        ok: true,
        channels: page.map((ch) => channelView(ws, ch)),
        // The last page has next_cursor "" (not absent): the SDK's paginate stops on either.
        response_metadata: { next_cursor: next ? encodeCursor(next.id) : '' },
      };
    },
  },

  // https://api.slack.com/methods/conversations.info
  'conversations.info': {
    tokenType: 'bot',
    run: (ws, { params }) => {
      const ch = ws.channels.get(str(params, 'channel') ?? '');
      // A private channel the bot is not in does not exist as far as it can tell.
      if (!ch || !visible(ch)) return fail('channel_not_found');
      return { ok: true, channel: channelView(ws, ch) };
    },
  },

  // https://api.slack.com/methods/users.info
  'users.info': {
    tokenType: 'bot',
    run: (ws, { params }) => {
      const user: User | undefined = ws.users.get(str(params, 'user') ?? '');
      if (!user) return fail('user_not_found');
      return { ok: true, user: userView(ws, user) };
    },
  },

  // https://api.slack.com/methods/chat.postMessage
  'chat.postMessage': {
    tokenType: 'bot',
    run: (ws, { state, params }) => {
      const ch = ws.channels.get(str(params, 'channel') ?? '');
      if (!ch || !visible(ch)) return fail('channel_not_found');
      // Posting to a public channel needs membership unless the app has
      // chat:write.public; this fake models the bot without it.
      if (!ch.isIm && !ch.isMember) return fail('not_in_channel');
      if (ch.isArchived) return fail('is_archived');
      const text = str(params, 'text') ?? '';
      const blocks = params.blocks === undefined ? undefined : parseMaybeJson(params.blocks);
      if (!text && blocks === undefined && params.attachments === undefined) return fail('no_text');
      if (text.length > 40_000) return fail('msg_too_long');
      const threadTs = str(params, 'thread_ts') || undefined;
      const metadata = params.metadata === undefined ? undefined : (parseMaybeJson(params.metadata) as PostedMessage['metadata']);
      const ts = nextTs();
      state.posted.push({
        ...(metadata ? { metadata } : {}),
        teamId: ws.teamId,
        channel: ch.id,
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ts,
        user: ws.botUserId,
        bot_id: ws.botId,
        ...(blocks !== undefined ? { blocks } : {}),
      });
      return {
        ok: true,
        channel: ch.id,
        ts,
        message: {
          user: ws.botUserId,
          type: 'message',
          ts,
          bot_id: ws.botId,
          app_id: ws.appId,
          text,
          team: ws.teamId,
          bot_profile: { id: ws.botId, app_id: ws.appId, name: ws.botName, deleted: false, team_id: ws.teamId },
          ...(blocks !== undefined ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
      };
    },
  },

  // The thread's parent and replies, oldest first; metadata only with include_all_metadata.
  // https://api.slack.com/methods/conversations.replies
  'conversations.replies': {
    tokenType: 'bot',
    run: (ws, { state, params }) => {
      const ch = ws.channels.get(str(params, 'channel') ?? '');
      if (!ch || !visible(ch)) return fail('channel_not_found');
      const root = str(params, 'ts');
      if (!root) return fail('thread_not_found');
      const withMeta = str(params, 'include_all_metadata') === 'true';
      const messages = state.posted
        .filter((m) => m.teamId === ws.teamId && m.channel === ch.id && (m.ts === root || m.thread_ts === root))
        .map((m) => ({ type: 'message', user: m.user, bot_id: m.bot_id, text: m.text, ts: m.ts, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}), ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) }));
      return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
    },
  },

  // Needs an app-level token (xapp-) with connections:write; answers a
  // WebSocket URL good for one connection.
  // https://api.slack.com/methods/apps.connections.open
  'apps.connections.open': {
    tokenType: 'app',
    run: (app, { openSocketUrl }) => ({ ok: true, url: openSocketUrl(app.appToken, app.appId) }),
  },
};

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Runs one Web API method with its token, answering Slack's error codes for auth problems. */
export function runMethod(method: string, token: string | undefined, ctx: MethodContext): ApiResult {
  const impl = METHODS[method];
  // Slack answers unknown_method before looking at the token, and echoes the method.
  if (!impl) return { ok: false, error: 'unknown_method', req_method: method };
  const owner = ctx.state.resolveToken(token);
  if ('error' in owner) return fail(owner.error);
  // Bot tokens cannot open Socket Mode connections and app-level tokens can
  // only call apps.connections.* (and a few others): not_allowed_token_type.
  // https://api.slack.com/authentication/token-types#app
  if (impl.tokenType === 'bot') return owner.kind === 'bot' ? impl.run(owner.workspace, ctx) : fail('not_allowed_token_type');
  return owner.kind === 'app' ? impl.run(owner, ctx) : fail('not_allowed_token_type');
}
