// The fake Slack (test/fakes/slack) driven by the official SDKs, so that tests
// written against it exercise the same requests and reconnect logic as
// production: @slack/web-api's WebClient and @slack/socket-mode's client.
import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient, WebClientEvent, type WebAPIHTTPError, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  appMentionEvent,
  eventCallback,
  messageEvent,
  postSignedEvent,
  signSlackRequest,
  startFakeSlack,
  urlVerification,
  type FakeSlack,
} from '../fakes/slack/index.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const TEAM = 'T0ACME0001';
const BOT_TOKEN = 'xoxb-acme-bot';
const APP_TOKEN = 'xapp-1-acme-app';
const BOT_USER = 'U0PARLEYBOT';
const BOT_ID = 'B0PARLEYBOT';

let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack({ pingIntervalMs: 100, ackTimeoutMs: 3000 });
  slack.addWorkspace({ teamId: TEAM, teamName: 'Acme Corp', domain: 'acme', botToken: BOT_TOKEN, botUserId: BOT_USER, botId: BOT_ID, appToken: APP_TOKEN });
  slack.addUser(TEAM, { id: 'U0ALICE', name: 'alice', realName: 'Alice Liddell', email: 'alice@acme.test', displayName: 'ali' });
  slack.addChannel(TEAM, { id: 'C0GENERAL', name: 'general' });
  slack.addChannel(TEAM, { id: 'C0OUTSIDE', name: 'outside', isMember: false });
  slack.addChannel(TEAM, { id: 'C0SECRET', name: 'secret', isPrivate: true });
  slack.addChannel(TEAM, { id: 'C0HIDDEN', name: 'hidden', isPrivate: true, isMember: false });
  slack.addChannel(TEAM, { id: 'D0ALICE', isIm: true, user: 'U0ALICE' });
});

afterAll(async () => {
  await slack?.close();
});

const web = (token = BOT_TOKEN, extra: ConstructorParameters<typeof WebClient>[1] = {}) =>
  new WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR, ...extra });

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; data?: { error?: string } }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string; data?: { error?: string } };
  }
  throw new Error('expected a rejection');
}

describe('fake Slack Web API through @slack/web-api', () => {
  it('answers auth.test for a bot token and invalid_auth / not_authed otherwise', async () => {
    const res = await web().auth.test();
    expect(res).toMatchObject({
      ok: true,
      url: 'https://acme.slack.com/',
      team: 'Acme Corp',
      team_id: TEAM,
      user_id: BOT_USER,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    });

    const unknown = (await rejection(web('xoxb-nope').auth.test())) as WebAPIPlatformError;
    expect(unknown.code).toBe(ErrorCode.PlatformError);
    expect(unknown.data.error).toBe('invalid_auth');
    expect(unknown.message).toBe('An API error occurred: invalid_auth');

    expect(((await rejection(web('').auth.test())) as WebAPIPlatformError).data.error).toBe('not_authed');
    expect(((await rejection(web(APP_TOKEN).auth.test())) as WebAPIPlatformError).data.error).toBe('not_allowed_token_type');

    slack.addWorkspace({ teamId: 'T0GONE', teamName: 'Gone', botToken: 'xoxb-gone', botUserId: 'U0GB', botId: 'B0GB' });
    await web('xoxb-gone').auth.test();
    slack.revokeToken('xoxb-gone');
    expect(((await rejection(web('xoxb-gone').auth.test())) as WebAPIPlatformError).data.error).toBe('invalid_auth');

    // The SDK sends the token as "Authorization: Bearer", not as a form field.
    const call = slack.callsTo('auth.test')[0]!;
    expect(call).toMatchObject({ token: BOT_TOKEN, status: 200, ok: true });
    expect(call.params).not.toHaveProperty('token');
  });

  it('pages conversations.list with real cursors and only the requested types', async () => {
    slack.addWorkspace({ teamId: 'T0BIG', teamName: 'Big', botToken: 'xoxb-big', botUserId: 'U0BIG', botId: 'B0BIG' });
    for (let i = 0; i < 250; i++) slack.addChannel('T0BIG', { id: `C${String(i).padStart(8, '0')}`, name: `room-${i}`, isPrivate: i % 5 === 0 });
    slack.addChannel('T0BIG', { id: 'D0BIG', isIm: true, user: 'U0BIG' });
    const before = slack.callsTo('conversations.list').length;

    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of web('xoxb-big').paginate('conversations.list', { types: 'public_channel,private_channel', limit: 100 })) {
      const channels = ((page as { channels?: unknown[] }).channels ?? []) as { id: string; is_im: boolean; is_private: boolean; is_channel: boolean; name: string }[];
      pages.push(channels.length);
      ids.push(...channels.map((c) => c.id));
      expect(channels.every((c) => !c.is_im && c.is_channel && typeof c.name === 'string')).toBe(true);
    }
    expect(pages).toEqual([100, 100, 50]);
    expect(new Set(ids).size).toBe(250);
    const calls = slack.callsTo('conversations.list').slice(before);
    // Form-encoded: every value arrives as a string; the first page has no cursor.
    expect(calls.map((c) => [c.params.limit, typeof c.params.cursor])).toEqual([
      ['100', 'undefined'],
      ['100', 'string'],
      ['100', 'string'],
    ]);

    // The default type is public_channel only; private channels the bot is not in never show.
    const publics = await web().conversations.list({});
    expect(publics.channels?.map((c) => c.id)).toEqual(['C0GENERAL', 'C0OUTSIDE']);
    const privates = await web().conversations.list({ types: 'private_channel' });
    expect(privates.channels?.map((c) => c.id)).toEqual(['C0SECRET']);
    const ims = await web().conversations.list({ types: 'im' });
    expect(ims.channels).toEqual([expect.objectContaining({ id: 'D0ALICE', is_im: true, user: 'U0ALICE' })]);
    expect(ims.response_metadata?.next_cursor).toBe('');
    expect(((await rejection(web().conversations.list({ cursor: 'bogus' }))) as WebAPIPlatformError).data.error).toBe('invalid_cursor');
  });

  it('answers conversations.info and users.info', async () => {
    const info = await web().conversations.info({ channel: 'C0SECRET' });
    expect(info.channel).toMatchObject({ id: 'C0SECRET', name: 'secret', is_private: true, is_member: true, is_im: false });
    expect(((await rejection(web().conversations.info({ channel: 'C0HIDDEN' }))) as WebAPIPlatformError).data.error).toBe('channel_not_found');

    const { user } = await web().users.info({ user: 'U0ALICE' });
    expect(user).toMatchObject({
      id: 'U0ALICE',
      team_id: TEAM,
      name: 'alice',
      real_name: 'Alice Liddell',
      is_bot: false,
      deleted: false,
      profile: { email: 'alice@acme.test', real_name: 'Alice Liddell', display_name: 'ali' },
    });
    expect((await web().users.info({ user: BOT_USER })).user).toMatchObject({ is_bot: true, profile: { bot_id: BOT_ID } });
    expect(((await rejection(web().users.info({ user: 'U0NOBODY' }))) as WebAPIPlatformError).data.error).toBe('user_not_found');
  });

  it('posts messages with increasing ts, and refuses channels the bot is not in', async () => {
    const first = await web().chat.postMessage({ channel: 'C0GENERAL', text: 'hello' });
    const reply = await web().chat.postMessage({ channel: 'C0GENERAL', text: 'in thread', thread_ts: first.ts! });
    const dm = await web().chat.postMessage({ channel: 'D0ALICE', text: 'psst' });
    expect(first).toMatchObject({ ok: true, channel: 'C0GENERAL', message: { type: 'message', text: 'hello', user: BOT_USER, bot_id: BOT_ID } });
    expect(reply.message).toMatchObject({ thread_ts: first.ts, ts: reply.ts });
    const ts = [first.ts!, reply.ts!, dm.ts!];
    expect(ts.every((t) => /^\d{10}\.\d{6}$/.test(t))).toBe(true);
    expect([...ts].sort()).toEqual(ts);
    expect(new Set(ts).size).toBe(3);
    expect(slack.posted.slice(-3)).toEqual([
      expect.objectContaining({ channel: 'C0GENERAL', text: 'hello', ts: first.ts }),
      expect.objectContaining({ channel: 'C0GENERAL', text: 'in thread', thread_ts: first.ts, ts: reply.ts }),
      expect.objectContaining({ channel: 'D0ALICE', text: 'psst', ts: dm.ts }),
    ]);

    const posted = slack.posted.length;
    expect(((await rejection(web().chat.postMessage({ channel: 'C0OUTSIDE', text: 'x' }))) as WebAPIPlatformError).data.error).toBe('not_in_channel');
    expect(((await rejection(web().chat.postMessage({ channel: 'C0NOPE', text: 'x' }))) as WebAPIPlatformError).data.error).toBe('channel_not_found');
    expect(((await rejection(web('xoxb-nope').chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))) as WebAPIPlatformError).data.error).toBe('invalid_auth');
    expect(slack.posted.length).toBe(posted);
  });

  it('rate limits with 429 + Retry-After, which the WebClient waits out and retries by itself', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const before = slack.callsTo('chat.postMessage').length;
    const started = Date.now();
    let rateLimitedFor: number | undefined;
    const client = web(BOT_TOKEN, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => (rateLimitedFor = seconds));
    const res = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'after the pause' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rateLimitedFor).toBe(1);
    expect(slack.callsTo('chat.postMessage').slice(before).map((c) => c.status)).toEqual([429, 200]);

    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const quick = Date.now();
    const err = (await rejection(web(BOT_TOKEN, { rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
    expect(Date.now() - quick).toBeLessThan(1000);
  });

  it('injects Slack errors, HTTP 5xx and delays', async () => {
    slack.failNext('users.info', { error: 'fatal_error' });
    expect(((await rejection(web().users.info({ user: 'U0ALICE' }))) as WebAPIPlatformError).data.error).toBe('fatal_error');
    await web().users.info({ user: 'U0ALICE' }); // only the next call failed

    slack.failNext('users.info', { status: 503 }, 2);
    for (let i = 0; i < 2; i++) {
      const err = (await rejection(web().users.info({ user: 'U0ALICE' }))) as WebAPIHTTPError;
      expect(err.code).toBe(ErrorCode.HTTPError);
      expect(err.statusCode).toBe(503);
    }
    // With retries allowed the SDK retries 5xx answers itself.
    slack.failNext('users.info', { status: 500 });
    await web(BOT_TOKEN, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } }).users.info({ user: 'U0ALICE' });

    slack.delay('auth.test', 300);
    const started = Date.now();
    await web().auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    slack.delay('auth.test', 0);

    expect(((await rejection(web().apiCall('nope.nothing'))) as WebAPIPlatformError).data.error).toBe('unknown_method');
  });

  it('accepts JSON bodies (token only in the header), GET queries and a token form field', async () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${slack.apiUrl}chat.postMessage`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));
    const json = await post(JSON.stringify({ channel: 'C0GENERAL', text: 'json', thread_ts: 1 }), {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${BOT_TOKEN}`,
    });
    expect(json).toMatchObject({ status: 200, json: { ok: true, message: { text: 'json' } } });
    const tokenInJson = await post(JSON.stringify({ token: BOT_TOKEN, channel: 'C0GENERAL', text: 'x' }), { 'content-type': 'application/json' });
    expect(tokenInJson.json).toEqual({ ok: false, error: 'not_authed' });
    const form = await post(new URLSearchParams({ token: BOT_TOKEN, channel: 'C0GENERAL', text: 'form' }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.json.ok).toBe(true);
    const get = (await (await fetch(`${slack.apiUrl}users.info?token=${BOT_TOKEN}&user=U0ALICE`)).json()) as { ok: boolean };
    expect(get.ok).toBe(true);
  });
});

describe('fake Slack Socket Mode through @slack/socket-mode', () => {
  let client: SocketModeClient | undefined;
  afterEach(async () => {
    await client?.disconnect();
    client = undefined;
  });

  const socketClient = (appToken = APP_TOKEN) =>
    new SocketModeClient({
      appToken,
      logLevel: LogLevel.ERROR,
      // The SDK waits clientPingTimeout (default 5 s) before reconnecting and
      // pings the server every clientPingTimeout/3; serverPingTimeout is how
      // long it tolerates no ping from the server (default 30 s).
      clientPingTimeout: 300,
      serverPingTimeout: 1000,
      clientOptions: { slackApiUrl: slack.apiUrl },
    });

  // @slack/socket-mode 3.x emits an events_api envelope under the inner
  // event's type ('message', 'app_mention', ...) and under 'slack_event' (with
  // type: 'events_api'), never under 'events_api' itself.
  function collectEvents(c: SocketModeClient): { bodies: Record<string, unknown>[]; eventsApiEmits: number } {
    const got = { bodies: [] as Record<string, unknown>[], eventsApiEmits: 0 };
    c.on('events_api', () => (got.eventsApiEmits += 1));
    c.on('slack_event', async ({ type, ack, body }: { type: string; ack: () => Promise<void>; body: Record<string, unknown> }) => {
      if (type !== 'events_api') return;
      await ack();
      got.bodies.push(body);
    });
    return got;
  }

  const userMessage = (text: string) =>
    eventCallback({ teamId: TEAM, authorizedUserId: BOT_USER, event: messageEvent({ channel: 'C0GENERAL', user: 'U0ALICE', text, channelType: 'channel' }) });

  it('connects, delivers an event, sees the ack, survives disconnect requests and dropped sockets', async () => {
    client = socketClient();
    const collected = collectEvents(client);
    const received = collected.bodies;
    const opens = slack.callsTo('apps.connections.open').length;
    const connects = slack.socket.connectLog.length;
    await client.start();
    expect(slack.socket.connectionCount(APP_TOKEN)).toBe(1);
    await slack.socket.waitForConnection(APP_TOKEN);

    const first = userMessage('first');
    const { envelopeId, ackedAt } = await slack.socket.sendEvent(APP_TOKEN, first);
    expect(ackedAt).toBeLessThanOrEqual(Date.now());
    await eventually(() => expect(received).toHaveLength(1));
    expect(received[0]).toEqual(first);
    expect(slack.socket.acks.at(-1)).toMatchObject({ appToken: APP_TOKEN, envelopeId, payload: {} });

    // Pings keep the connection: past serverPingTimeout (1 s) with no reconnect.
    await sleep(1300);
    expect(slack.socket.connectLog.length - connects).toBe(1);

    // Slack asks the client to reconnect: it opens a new URL and the event goes there.
    expect(slack.socket.requestDisconnect(APP_TOKEN)).toBe(1);
    await slack.socket.waitForConnection(APP_TOKEN);
    await slack.socket.sendEvent(APP_TOKEN, userMessage('after refresh'));
    await eventually(() => expect(received.map((b) => (b.event as { text: string }).text)).toEqual(['first', 'after refresh']));
    await eventually(() => expect(slack.socket.connectionCount(APP_TOKEN)).toBe(1));

    // Network loss: sockets die without a close frame; the client reconnects by itself.
    expect(slack.socket.dropAll(APP_TOKEN)).toBe(1);
    expect(slack.socket.connectionCount(APP_TOKEN)).toBe(0);
    await slack.socket.waitForConnection(APP_TOKEN);
    const mention = eventCallback({
      teamId: TEAM,
      authorizedUserId: BOT_USER,
      event: appMentionEvent({ channel: 'C0GENERAL', user: 'U0ALICE', text: `<@${BOT_USER}> help` }),
    });
    await slack.socket.sendEvent(APP_TOKEN, mention, { retryAttempt: 1, retryReason: 'timeout' });
    await eventually(() => expect(received).toHaveLength(3));
    expect(received[2]).toMatchObject({ type: 'event_callback', event: { type: 'app_mention' } });

    expect(slack.socket.connectLog.length - connects).toBe(3);
    expect(slack.callsTo('apps.connections.open').length - opens).toBe(3);
    expect(slack.socket.otherMessages).toEqual([]);
    expect(collected.eventsApiEmits).toBe(0);
  });

  it('passes retry_attempt/retry_reason and accepts_response_payload to listeners', async () => {
    client = socketClient();
    const seen: unknown[] = [];
    client.on('message', async ({ ack, retry_num, retry_reason, accepts_response_payload }) => {
      await ack();
      seen.push({ retry_num, retry_reason, accepts_response_payload });
    });
    await client.start();
    await slack.socket.sendEvent(APP_TOKEN, userMessage('again'), { retryAttempt: 2, retryReason: 'timeout' });
    await eventually(() => expect(seen).toEqual([{ retry_num: 2, retry_reason: 'timeout', accepts_response_payload: false }]));
  });

  it('rejects an unknown app token with invalid_auth, and sendEvent times out without an ack', async () => {
    client = socketClient('xapp-unknown');
    const err = (await rejection(client.start())) as WebAPIPlatformError;
    expect(err.data.error).toBe('invalid_auth');
    expect(slack.socket.connectionCount('xapp-unknown')).toBe(0);
    await expect(slack.socket.sendEvent('xapp-unknown', userMessage('nobody'), { timeoutMs: 200 })).rejects.toThrow(/no Socket Mode connection/);
  });
});

describe('Events API helpers', () => {
  it('builds message events like Slack', () => {
    const parent = messageEvent({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'hi', channelType: 'channel' });
    const reply = messageEvent({ channel: 'C0GENERAL', user: 'U0ALICE', text: 're', channelType: 'channel', threadTs: parent.ts as string, parentUserId: 'U0ALICE' });
    const bot = messageEvent({ channel: 'D0ALICE', user: BOT_USER, text: 'bot', channelType: 'im', botId: BOT_ID });
    expect(parent).toMatchObject({ type: 'message', channel_type: 'channel', event_ts: parent.ts, client_msg_id: expect.any(String) });
    expect(reply).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0ALICE' });
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(bot).toMatchObject({ bot_id: BOT_ID, channel_type: 'im' });
    expect(bot).not.toHaveProperty('client_msg_id');
    const a = eventCallback({ teamId: TEAM, event: parent });
    const b = eventCallback({ teamId: TEAM, event: reply });
    expect(a).toMatchObject({ type: 'event_callback', team_id: TEAM, token: 'legacy', authorizations: [{ team_id: TEAM, is_bot: true }] });
    expect(a.event_id < b.event_id).toBe(true);
    expect(a.event_time).toBe(Math.floor(Number(parent.ts)));
    expect(urlVerification('abc')).toEqual({ token: 'legacy', challenge: 'abc', type: 'url_verification' });
  });
});

describe('request signing', () => {
  it("reproduces Slack's documented example", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618);
    expect(headers).toEqual({
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
      'content-type': 'application/json',
    });
  });

  it('posts signed events that a verifying receiver accepts, and tampered ones it rejects', async () => {
    const secret = 'shhh';
    const seen: { valid: boolean; retry?: string; reason?: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const ts = String(req.headers['x-slack-request-timestamp']);
        const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${ts}:${raw}`).digest('hex')}`);
        const given = Buffer.from(String(req.headers['x-slack-signature']));
        const valid = expected.length === given.length && timingSafeEqual(expected, given);
        seen.push({ valid, retry: req.headers['x-slack-retry-num'] as string | undefined, reason: req.headers['x-slack-retry-reason'] as string | undefined });
        res.writeHead(valid ? 200 : 401).end(valid ? 'ok' : 'bad signature');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack/events`;
    try {
      const body = eventCallback({ teamId: TEAM, event: messageEvent({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'hi', channelType: 'channel' }) });
      expect(await postSignedEvent(url, secret, body)).toMatchObject({ status: 200, text: 'ok' });
      expect(await postSignedEvent(url, secret, body, { tamper: true })).toMatchObject({ status: 401 });
      expect(await postSignedEvent(url, secret, body, { retryNum: 1, retryReason: 'http_timeout' })).toMatchObject({ status: 200 });
      expect(seen).toEqual([
        { valid: true, retry: undefined, reason: undefined },
        { valid: false, retry: undefined, reason: undefined },
        { valid: true, retry: '1', reason: 'http_timeout' },
      ]);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
