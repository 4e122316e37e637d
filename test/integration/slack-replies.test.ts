// Replies to Slack conversations, end to end: replyToTask over HTTP, delivery
// by the job through chat.postMessage on the fake Slack, live status over
// graphql-ws, and the error paths (permanent errors, rate limits, 5xx,
// a response lost after Slack took the message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { nextTs } from '../fakes/slack/index.ts';
import { prismaFor, signUp } from '../helpers/fixtures.ts';
import { collect, errorCode, gql, gqlOk, wsClient } from '../helpers/graphql.ts';
import { DM, SUPPORT, startSlackEnv, type SlackEnv } from '../helpers/slack.ts';
import { eventually, sleep } from '../helpers/wait.ts';

let env: SlackEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startSlackEnv({ env: { DELIVERY_BACKOFF_SECONDS: '1' } });
  prisma = prismaFor(env.t.databaseUrl);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.stop();
});

interface Reply {
  id: string;
  status: string;
  direction: string;
  body: string;
  error: string | null;
  author: { id: string } | null;
}
const REPLY_FIELDS = 'id status direction body error author { id }';

/** Posts a burst of customer messages and waits until they are one task. */
async function openTask(texts: string[], where: { channel?: string; channelType?: 'channel' | 'im'; threadTs?: string } = {}): Promise<{ taskId: string; firstTs: string }> {
  const channel = where.channel ?? SUPPORT;
  const tss: string[] = [];
  for (const text of texts) {
    const ts = nextTs();
    tss.push(ts);
    const res = await env.post(env.message({ text, ts, channel, channelType: where.channelType ?? 'channel', ...(where.threadTs ? { threadTs: where.threadTs } : {}) }));
    expect(res.status).toBe(200);
  }
  const ids = tss.map((ts) => ({ integrationId_providerMessageId: { integrationId: env.integrationId, providerMessageId: `${channel}:${ts}` } }));
  const taskId = await eventually(async () => {
    const rows = await Promise.all(ids.map((where) => prisma.message.findUnique({ where })));
    const taskIds = new Set(rows.map((r) => r?.taskId));
    expect(taskIds.size).toBe(1);
    const [id] = taskIds;
    expect(id).toBeTruthy();
    return id!;
  }, { timeoutMs: 20_000 });
  return { taskId, firstTs: tss[0]! };
}

async function reply(taskId: string, body: string, token = env.admin.token) {
  return gql<{ replyToTask: Reply }>(env.t.url, `mutation($t: ID!, $b: String!) { replyToTask(taskId: $t, body: $b) { ${REPLY_FIELDS} } }`, { t: taskId, b: body }, token);
}

async function replyOk(taskId: string, body: string): Promise<Reply> {
  const res = await reply(taskId, body);
  expect(res.errors).toBeUndefined();
  return res.data!.replyToTask;
}

/** Waits until the message leaves QUEUED; returns it as the API shows it. */
async function settled(taskId: string, messageId: string, timeoutMs = 20_000): Promise<Reply> {
  return eventually(async () => {
    const data = await gqlOk<{ task: { messages: Reply[] } }>(env.t.url, `query($id: ID!) { task(id: $id) { messages { ${REPLY_FIELDS} } } }`, { id: taskId }, env.admin.token);
    const m = data.task.messages.find((x) => x.id === messageId);
    expect(m?.status).toMatch(/SENT|FAILED/);
    return m!;
  }, { timeoutMs, intervalMs: 200 });
}

/** chat.postMessage calls that carried this message (metadata names it), whatever their outcome. */
const postCalls = (messageId: string) => env.slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.params.metadata ?? '').includes(messageId));
const postedFor = (messageId: string) => env.slack.posted.filter((p) => p.metadata?.event_payload.message_id === messageId);

async function integrationState() {
  const data = await gqlOk<{ integrations: { id: string; status: string; lastError: string | null }[] }>(env.t.url, '{ integrations { id status lastError } }', {}, env.admin.token);
  return data.integrations.find((i) => i.id === env.integrationId)!;
}

describe('replying to a Slack task', () => {
  it('queues the reply at once, posts it once in the burst\'s thread, and publishes SENT live', async () => {
    const { taskId, firstTs } = await openTask(['Our export button does nothing', 'Tried Chrome and Firefox']);
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const messages = collect<{ messageUpdated: Reply }>(client, `subscription($t: ID) { messageUpdated(taskId: $t) { ${REPLY_FIELDS} } }`, { t: taskId });
    const tasks = collect<{ taskUpdated: { id: string } }>(client, 'subscription { taskUpdated { id } }');
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(2));

    env.slack.delay('chat.postMessage', 3_000); // a slow Slack must not slow the mutation down
    const started = Date.now();
    const queued = await replyOk(taskId, 'Thanks, looking into it now.');
    expect(Date.now() - started).toBeLessThan(2_000);
    env.slack.delay('chat.postMessage', 0);
    expect(queued).toMatchObject({ status: 'QUEUED', direction: 'OUTBOUND', body: 'Thanks, looking into it now.', error: null, author: { id: env.admin.memberId } });

    await eventually(() => expect(messages.events.map((e) => e.messageUpdated)).toContainEqual(expect.objectContaining({ id: queued.id, status: 'SENT' })), { timeoutMs: 20_000 });
    await eventually(() => expect(tasks.events.some((e) => e.taskUpdated.id === taskId)).toBe(true));
    expect(messages.errors).toEqual([]);

    const posted = postedFor(queued.id);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ channel: SUPPORT, thread_ts: firstTs, text: 'Thanks, looking into it now.' });
    expect(postCalls(queued.id)).toHaveLength(1);
    const row = await prisma.message.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row.providerMessageId).toBe(posted[0]!.ts);
    expect(row.sentAt).not.toBeNull();

    const data = await gqlOk<{ task: { messages: Reply[] } }>(env.t.url, `query($id: ID!) { task(id: $id) { messages { ${REPLY_FIELDS} } } }`, { id: taskId }, env.admin.token);
    expect(data.task.messages.map((m) => [m.direction, m.body])).toEqual([
      ['INBOUND', 'Our export button does nothing'],
      ['INBOUND', 'Tried Chrome and Firefox'],
      ['OUTBOUND', 'Thanks, looking into it now.'],
    ]);
    messages.stop();
    tasks.stop();
    await client.dispose();
  });

  it('replies in the thread the customer wrote in', async () => {
    const root = nextTs();
    const { taskId } = await openTask(['Replying under the outage announcement', 'Still broken for us'], { threadTs: root });
    const sent = await settled(taskId, (await replyOk(taskId, 'We are on it.')).id);
    expect(sent.status).toBe('SENT');
    expect(postedFor(sent.id)).toEqual([expect.objectContaining({ channel: SUPPORT, thread_ts: root })]);
  });

  it('replies in a direct message conversation', async () => {
    const { taskId, firstTs } = await openTask(['Hello, a private question about billing'], { channel: DM, channelType: 'im' });
    const sent = await settled(taskId, (await replyOk(taskId, 'Sure, ask away.')).id);
    expect(sent.status).toBe('SENT');
    expect(postedFor(sent.id)).toEqual([expect.objectContaining({ channel: DM, thread_ts: firstTs, text: 'Sure, ask away.' })]);
  });

  it('refuses an empty reply and another workspace\'s task, storing nothing', async () => {
    const { taskId } = await openTask(['Is there an API for invoices?']);
    const before = await prisma.message.count({ where: { taskId } });
    const empty = await reply(taskId, '   \n ');
    expect(errorCode(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.extensions?.field).toBe('body');
    const other = await signUp(env.t.url, 'Other Co');
    const foreign = await reply(taskId, 'Hi from elsewhere', other.token);
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect(await prisma.message.count({ where: { taskId } })).toBe(before);
  });
});

describe('delivery errors', () => {
  it.each([
    ['channel_not_found', /channel/i],
    ['not_in_channel', /not a member|invite/i],
  ])('%s fails the reply with a readable reason after one attempt', async (code, readable) => {
    const { taskId } = await openTask([`Question before ${code}`]);
    env.slack.failNext('chat.postMessage', { error: code });
    const failed = await settled(taskId, (await replyOk(taskId, 'This will not arrive')).id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(readable);
    await sleep(2_500); // longer than a retry would wait (backoff 1 s)
    expect(postCalls(failed.id)).toHaveLength(1);
    expect(postedFor(failed.id)).toHaveLength(0);
    expect((await integrationState()).status).toBe('CONNECTED');
  });

  it('invalid_auth fails the reply and marks the integration ERROR; a later success marks it CONNECTED', async () => {
    const { taskId } = await openTask(['Token trouble ahead']);
    env.slack.failNext('chat.postMessage', { error: 'invalid_auth' });
    const failed = await settled(taskId, (await replyOk(taskId, 'Rejected reply')).id);
    expect(failed).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/invalid_auth/) });
    expect(postCalls(failed.id)).toHaveLength(1);
    const state = await integrationState();
    expect(state).toMatchObject({ status: 'ERROR', lastError: expect.stringMatching(/invalid_auth/) });

    const ok = await settled(taskId, (await replyOk(taskId, 'Working again')).id);
    expect(ok.status).toBe('SENT');
    await eventually(async () => expect(await integrationState()).toMatchObject({ status: 'CONNECTED', lastError: null }));
  });

  it('waits Retry-After on a 429 and then sends once', async () => {
    const { taskId } = await openTask(['Rate limit me']);
    env.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const sent = await settled(taskId, (await replyOk(taskId, 'After the rate limit')).id);
    expect(sent.status).toBe('SENT');
    const calls = postCalls(sent.id);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
    expect(postedFor(sent.id)).toHaveLength(1);
  });

  it('retries a 500 with backoff and sends on the third attempt', async () => {
    const { taskId } = await openTask(['Server errors ahead']);
    env.slack.failNext('chat.postMessage', { status: 500 }, 2);
    const sent = await settled(taskId, (await replyOk(taskId, 'Third time lucky')).id, 30_000);
    expect(sent.status).toBe('SENT');
    const calls = postCalls(sent.id);
    expect(calls.map((c) => c.status)).toEqual([500, 500, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(1_900);
    expect(postedFor(sent.id)).toHaveLength(1);
    const row = await prisma.message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(row).toMatchObject({ providerMessageId: postedFor(sent.id)[0]!.ts, deliveryAttempts: 3, error: null });
  });

  it('gives up after 6 attempts when Slack keeps answering 500', async () => {
    const { taskId } = await openTask(['Slack is down']);
    // Exactly six failures: a seventh attempt would succeed and the test would see SENT.
    env.slack.failNext('chat.postMessage', { status: 500 }, 6);
    const failed = await settled(taskId, (await replyOk(taskId, 'Into the void')).id, 80_000);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/gave up/);
    expect(failed.error).toMatch(/500/);
    await sleep(1_500);
    expect(postCalls(failed.id).map((c) => c.status)).toEqual([500, 500, 500, 500, 500, 500]);
    expect(postedFor(failed.id)).toHaveLength(0);
  }, 120_000);

  it('after a lost response, finds the message Slack already posted instead of posting it again', async () => {
    const { taskId } = await openTask(['Network cut ahead']);
    env.slack.failNext('chat.postMessage', { lostResponse: true });
    const repliesBefore = env.slack.callsTo('conversations.replies').length;
    const sent = await settled(taskId, (await replyOk(taskId, 'Posted exactly once')).id, 30_000);
    expect(sent.status).toBe('SENT');
    const posted = postedFor(sent.id);
    expect(posted).toHaveLength(1);
    expect(postCalls(sent.id)).toHaveLength(1);
    expect(env.slack.callsTo('conversations.replies').length).toBeGreaterThan(repliesBefore);
    const row = await prisma.message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(row.providerMessageId).toBe(posted[0]!.ts);
    await sleep(2_500);
    expect(postedFor(sent.id)).toHaveLength(1);
  });

  it('after a lost response, a rate-limited look-up is retried as a look-up, not as a second post', async () => {
    const { taskId } = await openTask(['Network cut, then a rate limit']);
    env.slack.failNext('chat.postMessage', { lostResponse: true });
    env.slack.failNext('conversations.replies', { status: 429, retryAfter: 1 });
    const sent = await settled(taskId, (await replyOk(taskId, 'Still exactly once')).id, 30_000);
    expect(sent.status).toBe('SENT');
    await sleep(2_500);
    expect(postedFor(sent.id)).toHaveLength(1);
    expect(postCalls(sent.id)).toHaveLength(1);
    const row = await prisma.message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(row.providerMessageId).toBe(postedFor(sent.id)[0]!.ts);
  });

  it('refuses to reply through a disconnected integration', async () => {
    const { taskId } = await openTask(['Last question before the disconnect']);
    await gqlOk(env.t.url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { id status } }', { id: env.integrationId }, env.admin.token);
    const postsBefore = env.slack.posted.length;
    const res = await reply(taskId, 'Nobody will read this');
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/disconnected/i);
    expect(res.errors?.[0]?.extensions?.field).toBeUndefined(); // not the body's fault
    expect(await prisma.message.count({ where: { taskId, direction: 'OUTBOUND' } })).toBe(0);
    await sleep(1_000);
    expect(env.slack.posted.length).toBe(postsBefore);
  });
});
