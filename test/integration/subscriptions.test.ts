// Live events across instances: two app instances on one database, a client on
// instance 1, changes made through instance 2 (its GraphQL API or its Prisma).
import type { Client } from 'graphql-ws';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { publish } from '../../server/src/graphql/events.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { prismaFor, seedConversation, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { collect, gqlOk, wsClient } from '../helpers/graphql.ts';
import { eventually, sleep } from '../helpers/wait.ts';

type Seed = Awaited<ReturnType<typeof seedConversation>>;

const TASK_FIELDS = `id status title assignee { id name } contact { name } conversation { channel integration { id } }`;
const ASSIGN = `mutation($t: ID!, $m: ID) { assignTask(taskId: $t, memberId: $m) { id } }`;
const SET_STATUS = `mutation($t: ID!, $s: TaskStatus!) { setTaskStatus(taskId: $t, status: $s) { id } }`;

let one: TestApp;
let two: TestApp;
let prisma: PrismaClient;
let admin: SignedUp;
let seed: Seed;
let other: Seed;
const clients: Client[] = [];
const live: { stop(): void }[] = [];

beforeAll(async () => {
  one = await startTestApp();
  two = await startTestApp({ databaseUrl: one.databaseUrl });
  prisma = prismaFor(one.databaseUrl);
  admin = await signUp(one.url, 'Live');
  seed = await seedConversation(prisma, admin.workspaceId, { contactName: 'Carla Contact' });
  other = await seedConversation(prisma, admin.workspaceId, { contactName: 'Otto Other' });
});

// A failed test must not leave subscriptions behind for the next one to count.
afterEach(async () => {
  for (const s of live.splice(0)) s.stop();
  await eventually(() => expect(subscribers(one) + subscribers(two)).toBe(0));
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await two?.stop();
  await one?.stop();
  await prisma?.$disconnect();
});

function client(app: TestApp, token: string | undefined): Client {
  const c = wsClient(app.wsUrl, token);
  clients.push(c);
  return c;
}

const subscribers = (app: TestApp) => app.app.events.subscriberCount;

function sub<T = Record<string, any>>(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const s = collect<T>(c, query, variables);
  live.push(s);
  return s;
}

/** A new task in the seeded conversation, created with instance 2's Prisma; `then` runs in the same transaction. */
function createTask(title: string, then: (tx: any, taskId: string) => Promise<void>) {
  return two.app.services.prisma.$transaction(async (tx) => {
    const task = await tx.task.create({
      data: {
        workspaceId: admin.workspaceId, integrationId: seed.integration.id, contactId: seed.contact.id, channel: 'EMAIL', title,
        conversationKey: `${seed.task.conversationKey}:${title}`, lastMessageAt: new Date(),
      },
    });
    await then(tx, task.id);
    return task;
  });
}

describe('across instances', () => {
  it('delivers taskUpdated from mutations on instance 2 to a client on instance 1, resolved like a query', async () => {
    const updates = sub<{ taskUpdated: any }>(client(one, admin.token), `subscription { taskUpdated { ${TASK_FIELDS} } }`);
    await eventually(() => expect(subscribers(one)).toBe(1));
    expect(subscribers(two)).toBe(0);

    await gqlOk(two.url, SET_STATUS, { t: seed.task.id, s: 'DONE' }, admin.token);
    await eventually(() => expect(updates.events).toHaveLength(1));
    expect(updates.events[0]!.taskUpdated).toEqual({
      id: seed.task.id, status: 'DONE', title: seed.task.title, assignee: null, contact: { name: 'Carla Contact' },
      conversation: { channel: 'EMAIL', integration: { id: seed.integration.id } },
    });

    await gqlOk(two.url, ASSIGN, { t: seed.task.id, m: admin.memberId }, admin.token);
    await eventually(() => expect(updates.events).toHaveLength(2));
    expect(updates.events[1]!.taskUpdated).toMatchObject({ id: seed.task.id, status: 'DONE', assignee: { id: admin.memberId, name: 'Ada Admin' } });

    await gqlOk(two.url, ASSIGN, { t: seed.task.id, m: null }, admin.token);
    await eventually(() => expect(updates.events).toHaveLength(3));
    expect(updates.events[2]!.taskUpdated).toMatchObject({ id: seed.task.id, assignee: null });
    expect(updates.errors).toEqual([]);
  });

  it("delivers taskCreated when instance 2's Prisma creates a task and publishes in the same transaction", async () => {
    const created = sub<{ taskCreated: any }>(client(one, admin.token), `subscription { taskCreated { ${TASK_FIELDS} messages { id } } }`);
    await eventually(() => expect(subscribers(one)).toBe(1));
    const task = await createTask('Fresh one', (tx, id) => publish(tx, { name: 'taskCreated', workspaceId: admin.workspaceId, id }));
    await eventually(() => expect(created.events).toHaveLength(1));
    expect(created.events[0]!.taskCreated).toEqual({
      id: task.id, status: 'OPEN', title: 'Fresh one', assignee: null, contact: { name: 'Carla Contact' },
      conversation: { channel: 'EMAIL', integration: { id: seed.integration.id } }, messages: [],
    });
    expect(created.errors).toEqual([]);
  });

  it('delivers messageUpdated(taskId) only for that task', async () => {
    const ws = client(one, admin.token);
    const forSeed = sub<{ messageUpdated: any }>(ws, `subscription($t: ID) { messageUpdated(taskId: $t) { id body direction status } }`, { t: seed.task.id });
    const all = sub<{ messageUpdated: any }>(ws, `subscription { messageUpdated { id } }`);
    await eventually(() => expect(subscribers(one)).toBe(2));
    const db = two.app.services.prisma;
    await db.$transaction((tx) => publish(tx, { name: 'messageUpdated', workspaceId: admin.workspaceId, id: other.messages[0]!.id, taskId: other.task.id }));
    await db.$transaction((tx) => publish(tx, { name: 'messageUpdated', workspaceId: admin.workspaceId, id: seed.messages[1]!.id, taskId: seed.task.id }));
    await eventually(() => expect(all.events).toHaveLength(2));
    await eventually(() => expect(forSeed.events).toHaveLength(1));
    await sleep(200);
    expect(all.events.map((e) => e.messageUpdated.id)).toEqual([other.messages[0]!.id, seed.messages[1]!.id]);
    expect(forSeed.events).toEqual([{ messageUpdated: { id: seed.messages[1]!.id, body: seed.messages[1]!.body, direction: 'INBOUND', status: 'RECEIVED' } }]);
    expect([...forSeed.errors, ...all.errors]).toEqual([]);
  });

  it('delivers nothing for a transaction that published and then rolled back', async () => {
    const ws = client(one, admin.token);
    const created = sub<{ taskCreated: { id: string } }>(ws, `subscription { taskCreated { id } }`);
    const updated = sub<{ taskUpdated: { id: string } }>(ws, `subscription { taskUpdated { id } }`);
    await eventually(() => expect(subscribers(one)).toBe(2));
    let rolledBack = '';
    await expect(
      createTask('Never', async (tx, id) => {
        rolledBack = id;
        await publish(tx, { name: 'taskCreated', workspaceId: admin.workspaceId, id });
        await publish(tx, { name: 'taskUpdated', workspaceId: admin.workspaceId, id: seed.task.id });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(rolledBack).not.toBe('');
    expect(await prisma.task.findUnique({ where: { id: rolledBack } })).toBeNull();
    // A committed event published afterwards arrives; anything from the rolled-back one would have come first.
    await two.app.services.prisma.$transaction((tx) => publish(tx, { name: 'taskUpdated', workspaceId: admin.workspaceId, id: other.task.id }));
    await eventually(() => expect(updated.events).toHaveLength(1));
    await sleep(200);
    expect(updated.events).toEqual([{ taskUpdated: { id: other.task.id } }]);
    expect(created.events).toEqual([]);
  });
});

describe('subscription lifecycle', () => {
  it('stop() unregisters the subscription and nothing more reaches it', async () => {
    const ws = client(one, admin.token);
    const first = sub<{ taskUpdated: { id: string } }>(ws, `subscription { taskUpdated { id } }`);
    const second = sub<{ taskUpdated: { id: string } }>(ws, `subscription { taskUpdated { id } }`);
    await eventually(() => expect(subscribers(one)).toBe(2));
    first.stop();
    await eventually(() => expect(subscribers(one)).toBe(1));
    await gqlOk(two.url, SET_STATUS, { t: other.task.id, s: 'DONE' }, admin.token);
    await eventually(() => expect(second.events).toHaveLength(1));
    await sleep(200);
    expect(first.events).toEqual([]);
    second.stop();
    await eventually(() => expect(subscribers(one)).toBe(0));
  });

  it.each([
    ['no token', () => undefined],
    ['a malformed token', () => 'not-a-token'],
    ['a signed-out session', async () => {
      const s = await gqlOk<{ signIn: { token: string } }>(one.url, `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }`, { e: admin.email, p: admin.password });
      expect(await gqlOk(one.url, `mutation { signOut }`, {}, s.signIn.token)).toEqual({ signOut: true });
      return s.signIn.token;
    }],
  ])('refuses the websocket at connection with %s (4403)', async (_what, token) => {
    const ws = client(one, await token());
    const closes: number[] = [];
    ws.on('closed', (e) => closes.push((e as { code: number }).code));
    const refused = sub(ws, `subscription { taskUpdated { id } }`);
    await eventually(() => expect(refused.errors).toHaveLength(1));
    expect(closes).toEqual([4403]);
    expect((refused.errors[0] as { code: number }).code).toBe(4403);
    expect(refused.events).toEqual([]);
    expect(subscribers(one)).toBe(0);
    expect(one.logs.some((l) => l.includes('websocket rejected'))).toBe(true);
  });
});

describe('event listener connection', () => {
  it("keeps delivering after the listener's database connection is killed", async () => {
    const updates = sub<{ taskUpdated: { id: string } }>(client(one, admin.token), `subscription { taskUpdated { id } }`);
    await eventually(() => expect(subscribers(one)).toBe(1));
    const sql = new pg.Client({ connectionString: one.databaseUrl });
    await sql.connect();
    try {
      const killed = await sql.query<{ pid: number }>(
        `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND datname = current_database()`,
      );
      // One listener per instance.
      expect(killed.rowCount).toBe(2);
      await eventually(() => expect(one.logs.some((l) => l.includes('event listener connection lost'))).toBe(true));

      await eventually(
        async () => {
          await gqlOk(two.url, SET_STATUS, { t: seed.task.id, s: 'OPEN' }, admin.token);
          await sleep(100);
          expect(updates.events.length).toBeGreaterThan(0);
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      expect(updates.events.every((e) => e.taskUpdated.id === seed.task.id)).toBe(true);
      expect(updates.errors).toEqual([]);

      // Both instances listen again, on new connections.
      const oldPids = new Set(killed.rows.map((r) => r.pid));
      await eventually(async () => {
        const now = await sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN%' AND datname = current_database()`);
        expect(now.rowCount).toBe(2);
        expect(now.rows.some((r) => oldPids.has(r.pid))).toBe(false);
      });
    } finally {
      await sql.end();
    }
  });
});

describe('graceful stop', () => {
  it('closes a subscribed client with 1001 when its instance stops', async () => {
    const ws = client(two, admin.token);
    const closes: { code: number; reason: string }[] = [];
    ws.on('closed', (e) => closes.push(e as { code: number; reason: string }));
    const subscribed = sub(ws, `subscription { taskUpdated { id } }`);
    await eventually(() => expect(subscribers(two)).toBe(1));
    await two.stop();
    await eventually(() => expect(closes).toHaveLength(1));
    expect(closes[0]!.code).toBe(1001);
    expect(subscribers(two)).toBe(0);
    expect(subscribed.events).toEqual([]);
    // Instance 1 still serves.
    expect((await gqlOk(one.url, `{ me { id } }`, {}, admin.token)).me.id).toBe(admin.memberId);
  });
});
