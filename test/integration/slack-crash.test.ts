// Crash safety of the inbound pipeline with the real entry point: the server
// runs as a child process (`node --import tsx src/main.ts`) and is killed with
// SIGKILL at chosen moments, then a new process starts on the same database.
// Invariants (ARCHITECTURE.md): an acknowledged message is never lost, is in
// exactly one task, and a burst makes exactly one task.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_QUEUE, SENDER_QUEUE, SWEEP_QUEUE } from '../../server/src/inbox/queues.ts';
import { eventCallback, messageEvent, nextTs, postSignedEvent, startFakeSlack, type FakeSlack } from '../fakes/slack/index.ts';
import { TEST_KEY, startTestApp } from '../helpers/app.ts';
import { spawnMain } from '../helpers/main-process.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { signUp } from '../helpers/fixtures.ts';
import { gqlOk } from '../helpers/graphql.ts';
import { BOT_TOKEN, BOT_USER, CUSTOMER, SIGNING_SECRET, SUPPORT, TEAM, startSlackEnv } from '../helpers/slack.ts';
import { eventually, sleep } from '../helpers/wait.ts';

const DEBOUNCE_SECONDS = 2;
const CUSTOMERS = ['U0CRASHC01', 'U0CRASHC02', 'U0CRASHC03'] as const;

interface Child {
  process: ChildProcess;
  url: string;
  output: () => string;
}

let slack: FakeSlack;
let dataDir: string;
const children: ChildProcess[] = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  slack = await startFakeSlack({ pingIntervalMs: 0 });
  slack.addWorkspace({ teamId: TEAM, teamName: 'Acme Customers', domain: 'acme-customers', botToken: BOT_TOKEN, botUserId: BOT_USER, botId: 'B0BOTID001' });
  CUSTOMERS.forEach((id, i) => slack.addUser(TEAM, { id, name: `c${i}`, realName: `Customer ${i + 1}`, email: `customer${i + 1}@example.com` }));
  slack.addChannel(TEAM, { id: SUPPORT, name: 'support', isMember: true });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-crash-'));
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.end().catch(() => undefined);
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await slack.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts `src/main.ts` on the given database; resolves once it serves. */
async function startServer(databaseUrl: string): Promise<Child> {
  const main = spawnMain({
    DATABASE_URL: databaseUrl,
    SLACK_API_URL: slack.apiUrl,
    DEBOUNCE_SECONDS: String(DEBOUNCE_SECONDS),
    PARLEY_ENCRYPTION_KEY: TEST_KEY, // the in-process survivor below decrypts with it
    PARLEY_DATA_DIR: dataDir,
  });
  children.push(main.child);
  return { process: main.child, url: await main.url, output: main.output };
}

/** SIGKILL: no graceful shutdown, no job is failed or completed, open transactions die with the connection. */
async function kill(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.kill('SIGKILL');
  await exited;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  clients.push(client);
  return client;
}

/** A fresh database with a workspace whose Slack is connected and #support monitored. */
async function setUp(): Promise<{ databaseUrl: string; server: Child; db: pg.Client; integrationId: string }> {
  const databaseUrl = await createTestDatabase();
  const server = await startServer(databaseUrl);
  const admin = await signUp(server.url, 'Crash Co');
  const connected = await gqlOk<{ connectSlack: { id: string } }>(
    server.url,
    'mutation($input: ConnectSlackInput!) { connectSlack(input: $input) { id } }',
    { input: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET } },
    admin.token,
  );
  const integrationId = connected.connectSlack.id;
  await gqlOk(server.url, 'mutation($id: ID!, $c: [ID!]!) { setMonitoredChannels(integrationId: $id, channelIds: $c) { id } }', { id: integrationId, c: [SUPPORT] }, admin.token);
  return { databaseUrl, server, db: await connect(databaseUrl), integrationId };
}

function post(server: Child, integrationId: string, event: Record<string, unknown>, opts: { retryNum?: number; eventId?: string } = {}) {
  const body = eventCallback({ teamId: TEAM, event, ...(opts.eventId ? { eventId: opts.eventId } : {}) });
  return postSignedEvent(`${server.url}/webhooks/slack/${integrationId}`, SIGNING_SECRET, body, opts.retryNum !== undefined ? { retryNum: opts.retryNum } : {});
}

function customerMessage(user: string, text: string, threadTs?: string): Record<string, unknown> {
  return messageEvent({ channel: SUPPORT, user, text, channelType: 'channel', ...(threadTs ? { threadTs } : {}) });
}

interface Row {
  id: string;
  body: string;
  taskId: string | null;
  providerMessageId: string;
}

async function inboundMessages(db: pg.Client): Promise<Row[]> {
  const res = await db.query<Row>(`SELECT id, body, "taskId", "providerMessageId" FROM "Message" WHERE direction = 'INBOUND' ORDER BY "createdAt", id`);
  return res.rows;
}

async function tasks(db: pg.Client): Promise<{ id: string; title: string; bodies: string[] }[]> {
  const res = await db.query<{ id: string; title: string; bodies: string[] | null }>(
    `SELECT t.id, t.title, array_remove(array_agg(m.body ORDER BY m."createdAt", m.id), NULL) AS bodies
       FROM "Task" t LEFT JOIN "Message" m ON m."taskId" = t.id
      GROUP BY t.id ORDER BY t."createdAt", t.id`,
  );
  return res.rows.map((r) => ({ ...r, bodies: r.bodies ?? [] }));
}

/** Every stored inbound message is in exactly one task, no task is empty, nothing is stored twice. */
async function expectConsistent(db: pg.Client): Promise<void> {
  const messages = await inboundMessages(db);
  expect(messages.filter((m) => m.taskId === null).map((m) => m.body)).toEqual([]);
  expect(new Set(messages.map((m) => m.providerMessageId)).size).toBe(messages.length);
  const all = await tasks(db);
  for (const t of all) expect(t.bodies.length, `task "${t.title}" has no messages`).toBeGreaterThan(0);
}

async function bundleJobStates(db: pg.Client): Promise<string[]> {
  const res = await db.query<{ state: string }>('SELECT state::text FROM pgboss.job WHERE name = $1 ORDER BY created_on', [BUNDLE_QUEUE]);
  return res.rows.map((r) => r.state);
}

describe('crash during the debounce of a Slack burst', () => {
  it('a burst whose process is killed in its quiet period becomes exactly one task after a restart', async () => {
    const { databaseUrl, server, db, integrationId } = await setUp();

    // An unknown sender: kill right after the third acknowledgement, the users.info look-up job not yet run (or just run).
    const first = ['Hello, the export button does nothing', 'Tried Firefox and Chrome', 'Any idea?'];
    for (const text of first) expect((await post(server, integrationId, customerMessage(CUSTOMERS[0], text))).status).toBe(200);
    await kill(server);
    expect((await inboundMessages(db)).map((m) => m.body)).toEqual(first);
    expect(await tasks(db)).toEqual([]);

    const second = await startServer(databaseUrl);
    await eventually(async () => expect((await tasks(db)).map((t) => t.bodies)).toEqual([first]), { timeoutMs: 20_000 });
    expect((await tasks(db))[0]!.title).toBe(first[0]);

    // A known sender: the bundle job is armed when each message is stored. Kill well inside the 2 s quiet period.
    const again = ['A new question: can we add a second admin?', 'We need it for the holidays', 'Thanks!'];
    for (const text of again) expect((await post(second, integrationId, customerMessage(CUSTOMERS[0], text))).status).toBe(200);
    await kill(second);
    expect(await bundleJobStates(db)).toContain('created');
    expect(await tasks(db)).toHaveLength(1);

    await startServer(databaseUrl);
    await eventually(async () => expect((await tasks(db)).map((t) => t.bodies)).toEqual([first, again]), { timeoutMs: 20_000 });
    // Nothing else appears later.
    await sleep((DEBOUNCE_SECONDS + 1) * 1000);
    expect((await tasks(db)).map((t) => t.bodies)).toEqual([first, again]);
    await expectConsistent(db);
  }, 90_000);

  it('a message is committed before its 200: killed right after the acknowledgement, it is kept and bundled after a restart', async () => {
    const { databaseUrl, server, db, integrationId } = await setUp();
    // Give the customer an OPEN task first: its thread's replies are placed into it by the statement that stores them.
    const root = customerMessage(CUSTOMERS[1], 'Our SSO login loops back to the start page');
    expect((await post(server, integrationId, root)).status).toBe(200);
    await eventually(async () => expect(await tasks(db)).toHaveLength(1), { timeoutMs: 20_000 });

    let current = server;
    const cases = [
      { label: 'reply in the OPEN task\'s thread', event: customerMessage(CUSTOMERS[1], 'It happens on every browser', root.ts as string) },
      { label: 'new top-level message of a known customer', event: customerMessage(CUSTOMERS[1], 'Separate topic: invoices are missing VAT') },
      { label: 'first message of an unknown customer', event: customerMessage(CUSTOMERS[2], 'Hi, I cannot upload files') },
    ];
    for (const c of cases) {
      const res = await post(current, integrationId, c.event);
      expect(res.status, c.label).toBe(200);
      current.process.kill('SIGKILL'); // the same tick as the acknowledgement
      await kill(current);
      expect((await inboundMessages(db)).map((m) => m.body), c.label).toContain(c.event.text);
      current = await startServer(databaseUrl);
    }
    await eventually(async () => {
      const bodies = (await tasks(db)).map((t) => t.bodies);
      expect(bodies).toHaveLength(3);
      expect(bodies[0]).toEqual(['Our SSO login loops back to the start page', 'It happens on every browser']);
      expect(bodies).toContainEqual(['Separate topic: invoices are missing VAT']);
      expect(bodies).toContainEqual(['Hi, I cannot upload files']);
    }, { timeoutMs: 20_000 });
    await expectConsistent(db);
  }, 90_000);

  it('killed under load: every acknowledged message ends up in exactly one task, retries included', async () => {
    const { databaseUrl, server, db, integrationId } = await setUp();
    const events = Array.from({ length: 60 }, (_, i) => ({ event: customerMessage(CUSTOMERS[i % 3]!, `load message ${i}`), eventId: `EvLOAD${String(i).padStart(4, '0')}` }));
    const acked = new Set<number>();
    const sending = events.map(async ({ event, eventId }, i) => {
      await sleep(i * 15);
      const res = await post(server, integrationId, event, { eventId }).catch(() => undefined);
      if (res?.status === 200) acked.add(i);
    });
    await sleep(450);
    await kill(server);
    await Promise.all(sending);
    const stored = new Set((await inboundMessages(db)).map((m) => m.body));
    expect(acked.size).toBeGreaterThan(0);
    expect(acked.size).toBeLessThan(events.length);
    for (const i of acked) expect(stored.has(`load message ${i}`), `acknowledged message ${i} is stored`).toBe(true);

    // Slack retries every delivery that was not acknowledged (and some that were: duplicates must change nothing).
    const restarted = await startServer(databaseUrl);
    for (const [i, { event, eventId }] of events.entries()) {
      if (acked.has(i) && i % 4 !== 0) continue;
      expect((await post(restarted, integrationId, event, { eventId, retryNum: 1 })).status).toBe(200);
    }
    await eventually(async () => {
      const messages = await inboundMessages(db);
      expect(messages).toHaveLength(events.length);
      expect(messages.filter((m) => m.taskId === null)).toEqual([]);
    }, { timeoutMs: 20_000 });
    await expectConsistent(db);
    // Each customer wrote one stream of top-level messages; the crash splits it into at most two bursts.
    const all = await tasks(db);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeLessThanOrEqual(6);
  }, 90_000);

  it('killed while a bundle job runs: its transaction rolls back, and the restarted worker makes exactly one task at once (not after pg-boss\'s expiry)', async () => {
    const { databaseUrl, db, burst } = await killDuringBundle();
    await startServer(databaseUrl);
    // Nothing new arrives for that conversation: only the sweep of the restarted worker can re-arm it.
    const started = Date.now();
    await eventually(async () => {
      const bodies = (await tasks(db)).map((t) => [...t.bodies].sort());
      expect(bodies).toEqual([['Warm-up question'], [...burst].sort()]);
    }, { timeoutMs: 15_000, intervalMs: 200 });
    expect(Date.now() - started).toBeLessThan(15_000); // pg-boss alone: 120 s expiry, checked every 2 min
    await expectConsistent(db);
  }, 60_000);

  it('a job left active by a dead process blocks neither its conversation nor the others', async () => {
    const { databaseUrl, db, integrationId, burst } = await killDuringBundle();
    const restarted = await startServer(databaseUrl);
    // One more line of the same burst (its new job is queued beside the dead 'active' one), and another customer's question.
    expect((await post(restarted, integrationId, customerMessage(CUSTOMERS[0], 'Burst line 41'))).status).toBe(200);
    expect((await post(restarted, integrationId, customerMessage(CUSTOMERS[2], 'Other customer, other question'))).status).toBe(200);
    await eventually(async () => {
      // The burst was posted concurrently: compare its lines in any order. Its quiet period was over before
      // the crash, so if the restarted instance's periodic sweep re-arms the dead job before line 41 arrives,
      // the 40 lines become their task at once and line 41 starts a burst of its own; otherwise line 41's
      // job finds all 41 waiting and makes one task. Both are right; what may never happen is a line lost,
      // split from its burst, or in two tasks (expectConsistent).
      const bodies = (await tasks(db)).map((t) => [...t.bodies].sort());
      expect(bodies[0]).toEqual(['Warm-up question']);
      expect(bodies).toContainEqual(['Other customer, other question']);
      const together = bodies.some((b) => JSON.stringify(b) === JSON.stringify([...burst, 'Burst line 41'].sort()));
      const apart = bodies.some((b) => JSON.stringify(b) === JSON.stringify([...burst].sort())) && bodies.some((b) => JSON.stringify(b) === JSON.stringify(['Burst line 41']));
      expect({ together, apart, tasks: bodies.length }).toSatisfy(({ together, apart, tasks }) => (together && tasks === 3) || (apart && tasks === 4));
    }, { timeoutMs: 15_000, intervalMs: 200 });
    await expectConsistent(db);
  }, 60_000);

  it('killed during a sender look-up (users.info): the restarted worker looks the sender up again and bundles', async () => {
    const { databaseUrl, server, db, integrationId } = await setUp();
    slack.delay('users.info', 5_000);
    try {
      expect((await post(server, integrationId, customerMessage(CUSTOMERS[2], 'Who do I talk to about billing?'))).status).toBe(200);
      await eventually(async () => expect((await db.query(`SELECT 1 FROM pgboss.job WHERE name = $1 AND state = 'active'`, [SENDER_QUEUE])).rowCount).toBe(1));
      await kill(server);
    } finally {
      slack.delay('users.info', 0);
    }
    expect((await inboundMessages(db)).map((m) => m.taskId)).toEqual([null]);
    await startServer(databaseUrl);
    await eventually(async () => expect((await tasks(db)).map((t) => t.bodies)).toEqual([['Who do I talk to about billing?']]), { timeoutMs: 15_000 });
    const contact = await db.query(`SELECT name, email FROM "Contact" WHERE "slackUserId" = $1`, [CUSTOMERS[2]]);
    expect(contact.rows).toEqual([{ name: 'Customer 3', email: 'customer3@example.com' }]);
    await expectConsistent(db);
  }, 60_000);

  it('a surviving instance re-arms what a dead one was running, on its periodic sweep', async () => {
    const { databaseUrl, server, db, integrationId } = await setUp();
    await kill(server);
    // The survivor: an in-process instance on the same database (and key).
    const survivor = await startTestApp({ databaseUrl, env: { SLACK_API_URL: slack.apiUrl, DEBOUNCE_SECONDS: '1' } });
    try {
      const schedules = await survivor.app.queue.boss.getSchedules();
      expect(schedules.find((s) => s.name === SWEEP_QUEUE)?.cron).toBe('* * * * *');
      const url = `${survivor.url}/webhooks/slack/${integrationId}`;
      const send = (event: Record<string, unknown>) => postSignedEvent(url, SIGNING_SECRET, eventCallback({ teamId: TEAM, event }));
      expect((await send(customerMessage(CUSTOMERS[1], 'First question'))).status).toBe(200);
      await eventually(async () => expect(await tasks(db)).toHaveLength(1), { timeoutMs: 10_000 });

      // The customer is known: the bundle job is armed (due in 1 s) when the message is stored. Another
      // instance "fetches" it at once and dies: the row stays 'active' and nothing is queued for the burst.
      expect((await send(customerMessage(CUSTOMERS[1], 'Second question'))).status).toBe(200);
      const taken = await db.query(`UPDATE pgboss.job SET state = 'active', started_on = now() WHERE name = $1 AND state = 'created' RETURNING id`, [BUNDLE_QUEUE]);
      expect(taken.rowCount).toBe(1);
      await sleep(2_500);
      expect(await tasks(db)).toHaveLength(1);

      // The next sweep (cron, every minute; sent by hand here) re-arms it.
      await survivor.app.queue.boss.send(SWEEP_QUEUE, {});
      await eventually(async () => expect((await tasks(db)).map((t) => t.bodies)).toEqual([['First question'], ['Second question']]), { timeoutMs: 10_000 });
      await expectConsistent(db);
    } finally {
      await survivor.stop();
    }
  }, 60_000);
});

/**
 * A known customer with one task, then a 40-message burst whose bundle job is
 * caught inside its transaction (after creating the task, waiting on a row
 * lock the test holds) when the process is SIGKILLed.
 */
async function killDuringBundle(): Promise<{ databaseUrl: string; db: pg.Client; integrationId: string; burst: string[] }> {
  const { databaseUrl, server, db, integrationId } = await setUp();
  expect((await post(server, integrationId, customerMessage(CUSTOMERS[0], 'Warm-up question'))).status).toBe(200);
  await eventually(async () => expect(await tasks(db)).toHaveLength(1), { timeoutMs: 20_000 });

  const burst = Array.from({ length: 40 }, (_, i) => `Burst line ${i + 1}`);
  const acks = await Promise.all(burst.map((text, i) => sleep(i * 5).then(() => post(server, integrationId, customerMessage(CUSTOMERS[0], text)))));
  expect(acks.map((a) => a.status)).toEqual(burst.map(() => 200));
  const holder = await connect(databaseUrl);
  await holder.query('BEGIN');
  await holder.query(`SELECT id FROM "Message" WHERE body = 'Burst line 20' FOR UPDATE`);
  const waiting = await eventually(async () => {
    const res = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND state = 'active' AND query ILIKE '%UPDATE%"Message"%'`);
    expect(res.rows).toHaveLength(1);
    return res.rows[0]!.pid;
  }, { timeoutMs: 20_000 });
  // The job's transaction has created its task (invisible, uncommitted) and waits for the row.
  expect(await bundleJobStates(db)).toContain('active');
  await kill(server);
  await holder.query('ROLLBACK');
  // The orphaned backend gets its row, finds its client gone and rolls back.
  await eventually(async () => expect((await db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [waiting])).rowCount).toBe(0));
  expect(await tasks(db)).toHaveLength(1);
  expect((await inboundMessages(db)).filter((m) => m.taskId === null)).toHaveLength(burst.length);
  // pg-boss still believes the dead process runs that job: 'active' until it expires.
  expect(await bundleJobStates(db)).toContain('active');
  return { databaseUrl, db, integrationId, burst };
}

describe('jobs armed when a message is stored', () => {
  // ingest.ts inserts its bundle and look-up jobs itself, in the statement that stores the messages (so both
  // commit or neither does), the way pg-boss's own insert does. They must stay identical to pg-boss's jobs.
  it('are the jobs pg-boss itself would insert (same policy, retries, expiry, retention, start)', async () => {
    const env = await startSlackEnv({ env: { DEBOUNCE_SECONDS: '30' } });
    const db = await connect(env.t.databaseUrl);
    try {
      const { boss } = env.t.app.queue;
      const columns = `name, data, priority, state::text, retry_limit, retry_delay, retry_backoff, singleton_key, singleton_on, dead_letter, expire_in::text, policy,
                       round(extract(epoch FROM start_after - now())) AS starts_in, round(extract(epoch FROM keep_until - start_after)) AS kept_for`;
      const job = async (name: string, key: string) => (await db.query(`SELECT ${columns} FROM pgboss.job WHERE name = $1 AND singleton_key = $2`, [name, key])).rows;

      // An unknown sender: a look-up job, due at once.
      expect((await env.post(env.message({ text: 'Hello from a new customer' }))).status).toBe(200);
      const senderKey = `${env.integrationId}|${CUSTOMER}`;
      const ours = await eventually(async () => {
        const rows = await job(SENDER_QUEUE, senderKey);
        expect(rows).toHaveLength(1);
        return rows[0];
      });
      await boss.send(SENDER_QUEUE, { integrationId: env.integrationId, senderId: 'U0REFERENCE' }, { singletonKey: 'reference-sender' });
      const reference = (await job(SENDER_QUEUE, 'reference-sender'))[0];
      expect({ ...ours, data: undefined, singleton_key: undefined, state: undefined }).toEqual({ ...reference, data: undefined, singleton_key: undefined, state: undefined });
      expect(ours.data).toEqual({ integrationId: env.integrationId, senderId: CUSTOMER });

      // A known sender in a new thread: a bundle job, due after the quiet period.
      await eventually(async () => expect((await db.query(`SELECT 1 FROM "Contact" WHERE "slackUserId" = $1`, [CUSTOMER])).rowCount).toBe(1));
      const root = nextTs();
      expect((await env.post(env.message({ text: 'Another question, in a thread', threadTs: root }))).status).toBe(200);
      const contactId = (await db.query<{ id: string }>(`SELECT id FROM "Contact" WHERE "slackUserId" = $1`, [CUSTOMER])).rows[0]!.id;
      const bundleKey = `${env.integrationId}|${contactId}|${SUPPORT}:${root}`;
      const bundle = (await job(BUNDLE_QUEUE, bundleKey))[0];
      await boss.send(BUNDLE_QUEUE, { conversationKey: 'reference' }, { singletonKey: 'reference-bundle', startAfter: 30 });
      const referenceBundle = (await job(BUNDLE_QUEUE, 'reference-bundle'))[0];
      expect({ ...bundle, data: undefined, singleton_key: undefined }).toEqual({ ...referenceBundle, data: undefined, singleton_key: undefined });
      expect(bundle.data).toEqual({ conversationKey: bundleKey });
      expect(Number(bundle.starts_in)).toBe(30);
    } finally {
      await env.stop();
    }
  });
});
