// In-memory Slack: workspaces (teams) with their users, channels and tokens,
// plus everything the fake records (calls, posted messages) and the failures a
// test asked it to inject.

export interface WorkspaceSpec {
  teamId: string;
  teamName: string;
  /** The workspace subdomain: auth.test answers url https://<domain>.slack.com/. Defaults to a slug of teamName. */
  domain?: string;
  /** Bot token (xoxb-...) of the app installed in this workspace. */
  botToken: string;
  botUserId: string;
  botId: string;
  /** The bot user's handle (users.info name, auth.test user). Default 'parley'. */
  botName?: string;
  /** App-level token (xapp-...) for Socket Mode. One app may be installed in several workspaces. */
  appToken?: string;
  /** The app's id (api_app_id in events, app_id in Socket Mode hello). Default 'A0FAKEAPP01'. */
  appId?: string;
}

export interface Workspace extends Required<Omit<WorkspaceSpec, 'appToken'>> {
  appToken: string | undefined;
  users: Map<string, User>;
  /** Insertion-ordered, which is also the order conversations.list pages through. */
  channels: Map<string, Channel>;
}

export interface UserSpec {
  id: string;
  name: string;
  realName: string;
  email?: string;
  displayName?: string;
  isBot?: boolean;
  deleted?: boolean;
}
export type User = Required<Omit<UserSpec, 'email'>> & { email: string | undefined; teamId: string; botId?: string };

export interface ChannelSpec {
  id: string;
  /** Required for channels; IMs have no name in Slack's API. */
  name?: string;
  isPrivate?: boolean;
  /** Whether the bot is a member. Defaults to true (IMs always are). */
  isMember?: boolean;
  isIm?: boolean;
  /** For an IM: the other party's user id. */
  user?: string;
  isArchived?: boolean;
}
export interface Channel {
  id: string;
  name: string | undefined;
  isPrivate: boolean;
  isMember: boolean;
  isIm: boolean;
  user: string | undefined;
  isArchived: boolean;
  created: number;
  teamId: string;
}

/**
 * What failNext injects: a Slack error (HTTP 200, ok:false), a rate limit, a
 * server error, or `lostResponse`: Slack does the work but the connection
 * drops before the answer arrives (what a crash or network cut looks like).
 */
export type Failure = { error: string } | { status: 429; retryAfter: number } | { status: 500 | 503 } | { lostResponse: true };

export interface RecordedCall {
  method: string;
  /** Request arguments (query and body merged), without `token`. Form values are strings; JSON values as sent. */
  params: Record<string, unknown>;
  /** The token used (Authorization: Bearer, else a `token` form/query param), if any. */
  token: string | undefined;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** HTTP status answered and, for HTTP 200, whether ok and which error. */
  status: number;
  ok: boolean;
  error?: string;
}

export interface PostedMessage {
  teamId: string;
  channel: string;
  text: string;
  thread_ts?: string;
  ts: string;
  user: string;
  bot_id: string;
  blocks?: unknown;
  /** Message metadata (https://api.slack.com/metadata), returned by conversations.replies with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export type TokenOwner =
  | { kind: 'bot'; workspace: Workspace }
  | { kind: 'app'; appId: string; appToken: string };

const DEFAULT_APP_ID = 'A0FAKEAPP01';

export class SlackState {
  readonly workspaces = new Map<string, Workspace>();
  readonly calls: RecordedCall[] = [];
  readonly posted: PostedMessage[] = [];
  private readonly tokens = new Map<string, TokenOwner>();
  private readonly revoked = new Map<string, string>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly delays = new Map<string, number>();

  addWorkspace(spec: WorkspaceSpec): Workspace {
    if (this.workspaces.has(spec.teamId)) throw new Error(`fake slack: workspace ${spec.teamId} already exists`);
    this.assertTokenFree(spec.botToken);
    const appId = spec.appId ?? DEFAULT_APP_ID;
    if (spec.appToken) {
      const owner = this.tokens.get(spec.appToken);
      if (owner && !(owner.kind === 'app' && owner.appId === appId)) {
        throw new Error(`fake slack: token ${spec.appToken} already belongs to something else`);
      }
    }
    const ws: Workspace = {
      teamId: spec.teamId,
      teamName: spec.teamName,
      domain: spec.domain ?? spec.teamName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''),
      botToken: spec.botToken,
      botUserId: spec.botUserId,
      botId: spec.botId,
      botName: spec.botName ?? 'parley',
      appToken: spec.appToken,
      appId,
      users: new Map(),
      channels: new Map(),
    };
    this.workspaces.set(ws.teamId, ws);
    this.tokens.set(ws.botToken, { kind: 'bot', workspace: ws });
    if (ws.appToken) this.tokens.set(ws.appToken, { kind: 'app', appId, appToken: ws.appToken });
    // Installing an app creates its bot user in the workspace (users.info on it works, is_bot: true).
    this.addUser(ws.teamId, { id: ws.botUserId, name: ws.botName, realName: ws.botName, isBot: true });
    ws.users.get(ws.botUserId)!.botId = ws.botId;
    return ws;
  }

  addUser(teamId: string, spec: UserSpec): User {
    const ws = this.workspace(teamId);
    const user: User = {
      id: spec.id,
      name: spec.name,
      realName: spec.realName,
      displayName: spec.displayName ?? '',
      email: spec.email,
      isBot: spec.isBot ?? false,
      deleted: spec.deleted ?? false,
      teamId,
    };
    ws.users.set(user.id, user);
    return user;
  }

  addChannel(teamId: string, spec: ChannelSpec): Channel {
    const ws = this.workspace(teamId);
    const isIm = spec.isIm ?? false;
    if (!isIm && !spec.name) throw new Error(`fake slack: channel ${spec.id} needs a name`);
    const channel: Channel = {
      id: spec.id,
      name: isIm ? undefined : spec.name,
      isPrivate: isIm || (spec.isPrivate ?? false),
      isMember: isIm || (spec.isMember ?? true),
      isIm,
      user: spec.user,
      isArchived: spec.isArchived ?? false,
      created: Math.floor(Date.now() / 1000),
      teamId,
    };
    ws.channels.set(channel.id, channel);
    return channel;
  }

  /** Later calls with this token fail with `error` (Slack says token_revoked for a revoked token; the default here is invalid_auth). */
  revokeToken(token: string, error = 'invalid_auth'): void {
    this.revoked.set(token, error);
  }

  /** Who a token belongs to, or the auth error Slack would answer. */
  resolveToken(token: string | undefined): TokenOwner | { error: string } {
    if (!token) return { error: 'not_authed' };
    const revokedError = this.revoked.get(token);
    if (revokedError) return { error: revokedError };
    return this.tokens.get(token) ?? { error: 'invalid_auth' };
  }

  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** The injected failure for this call of `method`, consuming it. */
  takeFailure(method: string): Failure | undefined {
    return this.failures.get(method)?.shift();
  }

  delay(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  delayFor(method: string): number {
    return this.delays.get(method) ?? 0;
  }

  workspace(teamId: string): Workspace {
    const ws = this.workspaces.get(teamId);
    if (!ws) throw new Error(`fake slack: no workspace ${teamId} (call addWorkspace first)`);
    return ws;
  }

  private assertTokenFree(token: string): void {
    if (this.tokens.has(token)) throw new Error(`fake slack: token ${token} is already in use`);
  }
}
