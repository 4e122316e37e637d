// Slack Socket Mode, end to end: the worker's connection to the fake Slack,
// acknowledged events feeding the pipeline, reconnects, and exactly one live
// connection per integration across Parley instances sharing a database
// (PostgreSQL advisory lock), with take-over when the holder dies.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { eventCallback, nextTs } from '../fakes/slack/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { gqlOk } from '../helpers/graphql.ts';
import { APP_TOKEN, BOT_TOKEN, CUSTOMER, RANDOM, SUPPORT, TEAM, startSlackEnv, type SlackEnv } from '../helpers/slack.ts';
import { eventually, sleep } from '../helpers/wait.ts';

let env: SlackEnv;
let prisma: PrismaClient;
/** Every instance started here; `live` are the ones not stopped. */
const instances: TestApp[] = [];
let live: TestApp[] = [];

beforeAll(async () => {
  env = await startSlackEnv({ socketMode: true });
  prisma = prismaFor(env.t.databaseUrl);
  instances.push(env.t);
  live = [env.t];
});

afterAll(async () => {
  await prisma?.$disconnect();
  for (const t of instances.slice(1)) await t.stop();
  await env?.stop();
});

const api = () => live[0]!;
const holding = () => live.filter((t) => t.app.connections?.holding.includes(env.integrationId));
/** Which instances hold the connection, by their index in `instances` (readable in failures). */
const holders = () => holding().map((t) => instances.indexOf(t));

async function startInstance(): Promise<TestApp> {
  const t = await startTestApp({ databaseUrl: env.t.databaseUrl, env: { SLACK_API_URL: env.slack.apiUrl, DEBOUNCE_SECONDS: '1' } });
  instances.push(t);
  live.push(t);
  return t;
}

async function stopInstance(t: TestApp): Promise<void> {
  live = live.filter((x) => x !== t);
  await t.stop();
}

/** Sends a customer message through the socket; resolves once it is acked and returns its provider id. */
async function sendMessage(text: string, channel = SUPPORT, redeliver = false): Promise<string> {
  const ts = nextTs();
  const payload = eventCallback({ teamId: TEAM, event: env.message({ text, ts, channel }) });
  for (const retryAttempt of redeliver ? [0, 1] : [0]) {
    const acked = await env.slack.socket.sendEvent(APP_TOKEN, payload, { timeoutMs: 25_000, retryAttempt, retryReason: retryAttempt ? 'timeout' : '' });
    expect(env.slack.socket.acks.map((a) => a.envelopeId)).toContain(acked.envelopeId);
  }
  return `${channel}:${ts}`;
}

async function expectStored(providerMessageId: string): Promise<void> {
  await eventually(async () => {
    const row = await prisma.message.findUnique({ where: { integrationId_providerMessageId: { integrationId: env.integrationId, providerMessageId } } });
    expect(row).not.toBeNull();
  }, { timeoutMs: 15_000 });
}

/** Terminates the database session holding the integration's connection lock (its advisory lock); false if none holds it. */
async function killLockHolder(): Promise<boolean> {
  const sql = new pg.Client({ connectionString: env.t.databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND a.datname = current_database()
          AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
      [`parley:connector:${env.integrationId}`],
    );
    if (rows.length === 0) return false;
    expect(rows).toHaveLength(1);
    const { rows: killed } = await sql.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [rows[0]!.pid]);
    return killed[0]!.ok;
  } finally {
    await sql.end();
  }
}

/** Samples the fake's open connections and our instances' holdings; reports the longest stretch with more than one. */
function watchConnections() {
  let overSince: number | undefined;
  let longestOverMs = 0;
  let samples = 0;
  const timer = setInterval(() => {
    samples++;
    const over = env.slack.socket.connectionCount(APP_TOKEN) > 1 || holding().length > 1;
    if (over) overSince ??= Date.now();
    else overSince = undefined;
    if (overSince !== undefined) longestOverMs = Math.max(longestOverMs, Date.now() - overSince);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return { longestOverMs, samples };
    },
  };
}

describe('Slack Socket Mode', () => {
  it('connects with an app token only: no webhook URL, one connection opened by the worker', async () => {
    const data = await gqlOk<{ integrations: { id: string; webhookUrl: string | null; status: string }[] }>(api().url, '{ integrations { id webhookUrl status } }', {}, env.admin.token);
    expect(data.integrations).toEqual([{ id: env.integrationId, webhookUrl: null, status: 'CONNECTED' }]);
    await env.slack.socket.waitForConnection(APP_TOKEN, 20_000);
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);
    await eventually(() => expect(holders()).toEqual([0]));
  });

  it('acks a message event (and Slack\'s redelivery of it) and turns it into one task', async () => {
    const id = await sendMessage('Socket mode says hello', SUPPORT, true);
    const task = await eventually(async () => {
      const data = await gqlOk<{ tasks: { edges: { node: { title: string; status: string; conversation: { slackChannelId: string } } }[] } }>(
        api().url, '{ tasks { edges { node { title status conversation { slackChannelId } } } } }', {}, env.admin.token);
      const found = data.tasks.edges.find((e) => e.node.title === 'Socket mode says hello');
      expect(found).toBeDefined();
      return found!.node;
    }, { timeoutMs: 20_000 });
    expect(task).toEqual({ title: 'Socket mode says hello', status: 'OPEN', conversation: { slackChannelId: SUPPORT } });
    const row = await prisma.message.findUniqueOrThrow({ where: { integrationId_providerMessageId: { integrationId: env.integrationId, providerMessageId: id } } });
    expect(row.taskId).not.toBeNull();
    expect(await prisma.message.count({ where: { body: 'Socket mode says hello' } })).toBe(1);
    expect(await prisma.task.count({ where: { title: 'Socket mode says hello' } })).toBe(1);
  });

  it('acks and drops an event from a channel that is not monitored', async () => {
    const dropped = await sendMessage('Chatter in #random', RANDOM);
    const kept = await sendMessage('A real question in #support');
    await expectStored(kept);
    await sleep(500);
    expect(await prisma.message.count({ where: { providerMessageId: dropped } })).toBe(0);
  });

  it.each([
    ['a disconnect message', () => env.slack.socket.requestDisconnect(APP_TOKEN)],
    ['a dropped connection', () => env.slack.socket.dropAll(APP_TOKEN)],
  ])('reconnects after %s and keeps receiving events', async (_what, cut) => {
    const connects = env.slack.socket.connectLog.length;
    expect(cut()).toBe(1);
    await eventually(() => expect(env.slack.socket.connectLog.length).toBeGreaterThan(connects), { timeoutMs: 25_000, intervalMs: 100 });
    await env.slack.socket.waitForConnection(APP_TOKEN, 10_000);
    await expectStored(await sendMessage(`After ${_what}`));
    await eventually(() => expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1), { timeoutMs: 15_000 });
  }, 60_000);

  it('reconnects when Slack fails apps.connections.open during a reconnect', async () => {
    const opens = env.slack.callsTo('apps.connections.open').length;
    env.slack.failNext('apps.connections.open', { status: 500 });
    env.slack.failNext('apps.connections.open', { error: 'internal_error' });
    expect(env.slack.socket.dropAll(APP_TOKEN)).toBe(1);
    await env.slack.socket.waitForConnection(APP_TOKEN, 30_000);
    expect(env.slack.callsTo('apps.connections.open').slice(opens).map((c) => c.error ?? c.status)).toEqual([500, 'internal_error', 200]);
    await expectStored(await sendMessage('After Slack had a bad moment'));
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);
    expect(holders()).toEqual([0]);
  }, 60_000);

  it('keeps exactly one connection across two instances and hands it over when the holder stops', async () => {
    const second = await startInstance();
    const watch = watchConnections();
    await sleep(7_000); // more than one scan interval (5 s) of the new instance
    expect(holders()).toEqual([0]);
    expect(second.app.connections?.holding).toEqual([]);
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);

    const connects = env.slack.socket.connectLog.length;
    const stoppedAt = Date.now();
    await stopInstance(env.t);
    await eventually(() => expect(holders()).toEqual([instances.indexOf(second)]), { timeoutMs: 15_000, intervalMs: 100 });
    await env.slack.socket.waitForConnection(APP_TOKEN, 10_000);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(env.slack.socket.connectLog.length).toBe(connects + 1);
    await expectStored(await sendMessage('Handled by the second instance'));
    const { longestOverMs, samples } = watch.stop();
    expect(samples).toBeGreaterThan(50);
    expect(longestOverMs).toBe(0);
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);
  }, 60_000);

  it('drops the connection when its lock connection is killed, and one instance takes over', async () => {
    await startInstance();
    await sleep(6_000); // the newcomer has scanned and found the lock taken
    const [holder] = holding();
    expect(holders()).toHaveLength(1);
    const connects = env.slack.socket.connectLog.length;
    const watch = watchConnections();

    expect(await killLockHolder()).toBe(true);

    await eventually(() => expect(holder!.logs.some((l) => l.includes('connection lock lost'))).toBe(true), { timeoutMs: 10_000 });
    // A new connection replaces the old one (which is closed), held by exactly one instance.
    await eventually(() => {
      expect(env.slack.socket.connectLog.length).toBeGreaterThan(connects);
      expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);
      expect(holders()).toHaveLength(1);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    await expectStored(await sendMessage('After the lock was lost'));
    await sleep(6_000); // another scan round on every instance: still one
    const { longestOverMs } = watch.stop();
    expect(longestOverMs).toBeLessThan(1_000);
    expect(holders()).toHaveLength(1);
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);
  }, 60_000);

  it('does not keep a connection it opened while its lock was being lost', async () => {
    // A settings change (here: an allowed-user list, the customer on it) makes the holder reopen its connection; Slack is slow to answer, and the
    // lock's database session dies in the meantime. The late connection must not stay next to the new holder's.
    env.slack.delay('apps.connections.open', 3_000);
    try {
      await gqlOk(api().url, 'mutation($id: ID!, $u: [String!]!) { setSlackAllowedUsers(integrationId: $id, userIds: $u) { id } }', { id: env.integrationId, u: [CUSTOMER] }, env.admin.token);
      await eventually(() => expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(0), { timeoutMs: 15_000, intervalMs: 20 });
      await eventually(async () => expect(await killLockHolder()).toBe(true), { timeoutMs: 2_000, intervalMs: 20 });
    } finally {
      env.slack.delay('apps.connections.open', 0);
    }
    await eventually(() => expect(instances.some((t) => t.logs.some((l) => l.includes('lock lost while connecting')))).toBe(true), { timeoutMs: 10_000 });
    await eventually(() => {
      expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);
      expect(holders()).toHaveLength(1);
    }, { timeoutMs: 20_000, intervalMs: 100 });
    const watch = watchConnections();
    await sleep(8_000); // more than a scan round on every instance
    expect(watch.stop().longestOverMs).toBe(0);
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(1);
    await expectStored(await sendMessage('One connection after a slow reconnect'));
  }, 60_000);

  it('closes the connection on disconnectIntegration and does not reconnect', async () => {
    await gqlOk(api().url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { id } }', { id: env.integrationId }, env.admin.token);
    await eventually(() => {
      expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(0);
      expect(holders()).toEqual([]);
    }, { timeoutMs: 15_000, intervalMs: 100 });
    const connects = env.slack.socket.connectLog.length;
    const opens = env.slack.callsTo('apps.connections.open').length;
    await sleep(8_000); // past a scan interval and the SDK's reconnect delay
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(0);
    expect(env.slack.socket.connectLog.length).toBe(connects);
    expect(env.slack.callsTo('apps.connections.open').length).toBe(opens);
  }, 40_000);

  it('marks the integration ERROR when Slack revokes the app-level token, without crashing or reconnecting', async () => {
    const { connectSlack } = await gqlOk<{ connectSlack: { id: string; status: string } }>(api().url,
      'mutation($input: ConnectSlackInput!) { connectSlack(input: $input) { id status } }', { input: { botToken: BOT_TOKEN, appToken: APP_TOKEN } }, env.admin.token);
    expect(connectSlack.status).toBe('CONNECTED');
    await env.slack.socket.waitForConnection(APP_TOKEN, 20_000);
    env.slack.revokeToken(APP_TOKEN);
    expect(env.slack.socket.dropAll(APP_TOKEN)).toBe(1);
    await eventually(async () => {
      const data = await gqlOk<{ integrations: { id: string; status: string; lastError: string | null }[] }>(api().url, '{ integrations { id status lastError } }', {}, env.admin.token);
      expect(data.integrations.find((i) => i.id === connectSlack.id)).toMatchObject({ status: 'ERROR', lastError: expect.stringMatching(/app-level token.*invalid_auth/) });
    }, { timeoutMs: 20_000, intervalMs: 250 });
    // The holder gives the connection up at its next scan; nobody gets a new one.
    await eventually(() => expect(holders()).toEqual([]), { timeoutMs: 15_000, intervalMs: 100 });
    await sleep(2_000);
    expect(env.slack.socket.connectionCount(APP_TOKEN)).toBe(0);
    expect(holders()).toEqual([]);
    expect(env.slack.callsTo('apps.connections.open').at(-1)?.error).toBe('invalid_auth');
  }, 40_000);
});
