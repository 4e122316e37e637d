// Nothing of one workspace is visible to another: queries, mutations on ids
// taken from the other workspace, API keys and live subscriptions.
import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { publish } from '../../server/src/graphql/events.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addMember, prismaFor, seedConversation, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { collect, errorCode, gql, gqlOk, wsClient } from '../helpers/graphql.ts';
import { eventually, sleep } from '../helpers/wait.ts';

type Seed = Awaited<ReturnType<typeof seedConversation>>;

const TASKS = `{ tasks { edges { node { id title contact { id name } assignee { id } } } } }`;
const CONTACTS = `query($s: String) { contacts(search: $s) { edges { node { id name email } } } }`;
const TASK = `query($id: ID!) { task(id: $id) { id title } }`;
const ASSIGN = `mutation($t: ID!, $m: ID) { assignTask(taskId: $t, memberId: $m) { id assignee { id } } }`;
const SET_STATUS = `mutation($t: ID!, $s: TaskStatus!) { setTaskStatus(taskId: $t, status: $s) { id status } }`;
const ME = `{ me { id email } workspace { id name } }`;

let testApp: TestApp;
let prisma: PrismaClient;
let a: SignedUp;
let aMember: SignedUp;
let b: SignedUp;
let bMember: SignedUp;
let seedA: Seed;
let seedB: Seed;
let aKey: string;
let aKeyId: string;
const clients: Client[] = [];
const live: { stop(): void }[] = [];

beforeAll(async () => {
  testApp = await startTestApp();
  prisma = prismaFor(testApp.databaseUrl);
  a = await signUp(testApp.url, 'Workspace A');
  aMember = await addMember(testApp.url, a.token);
  b = await signUp(testApp.url, 'Workspace B');
  bMember = await addMember(testApp.url, b.token);
  seedA = await seedConversation(prisma, a.workspaceId, { contactName: 'Zelda Secret' });
  seedB = await seedConversation(prisma, b.workspaceId, { contactName: 'Bob Customer' });
  aKey = (await gqlOk<{ createApiKey: { key: string } }>(testApp.url, `mutation { createApiKey(name: "A key") { key } }`, {}, a.token)).createApiKey.key;
  aKeyId = (await gqlOk<{ apiKeys: { id: string }[] }>(testApp.url, `{ apiKeys { id } }`, {}, a.token)).apiKeys[0]!.id;
});

afterEach(async () => {
  for (const sub of live.splice(0)) sub.stop();
  await eventually(() => expect(testApp.app.events.subscriberCount).toBe(0));
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await testApp?.stop();
  await prisma?.$disconnect();
});

function client(token: string): Client {
  const c = wsClient(testApp.wsUrl, token);
  clients.push(c);
  return c;
}

function watch<T = Record<string, any>>(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const sub = collect<T>(c, query, variables);
  live.push(sub);
  return sub;
}

/** Every id and name of workspace A that must never show up for B. */
function secretsOfA(): string[] {
  return [seedA.task.id, seedA.task.title, seedA.contact.id, seedA.contact.name!, seedA.contact.email!, seedA.integration.id, a.memberId, aMember.memberId, a.workspaceId, a.email, aMember.email];
}

const taskRow = (id: string) => prisma.task.findUniqueOrThrow({ where: { id }, select: { status: true, assigneeId: true, updatedAt: true } });

describe.each([
  ['B admin', () => b],
  ['B member', () => bMember],
])('as %s', (_who, viewer) => {
  it('lists only B: tasks, contacts, integrations, members', async () => {
    const { token } = viewer();
    const tasks = await gql(testApp.url, TASKS, {}, token);
    const contacts = await gql(testApp.url, CONTACTS, {}, token);
    const integrations = await gql(testApp.url, `{ integrations { id displayName } }`, {}, token);
    const members = await gql(testApp.url, `{ members { id email } }`, {}, token);
    for (const res of [tasks, contacts, integrations, members]) expect(res.errors).toBeUndefined();
    expect(tasks.data!.tasks.edges.map((e: any) => e.node.id)).toEqual([seedB.task.id]);
    expect(contacts.data!.contacts.edges.map((e: any) => e.node.id)).toEqual([seedB.contact.id]);
    expect(integrations.data!.integrations.map((i: any) => i.id)).toEqual([seedB.integration.id]);
    expect(members.data!.members.map((m: any) => m.id).sort()).toEqual([b.memberId, bMember.memberId].sort());
    for (const res of [tasks, contacts, integrations, members]) {
      for (const secret of secretsOfA()) expect(res.raw).not.toContain(secret);
    }
  });

  it("finds nothing of A when searching for A's contact", async () => {
    const { token } = viewer();
    for (const s of ['Zelda', seedA.contact.phone!, seedA.contact.email!]) {
      const res = await gql(testApp.url, CONTACTS, { s }, token);
      const ids = res.data!.contacts.edges.map((e: any) => e.node.id);
      // The email search may also match B's contact: digits in a search are matched against phones too.
      if (s === seedA.contact.email) expect(ids.filter((id: string) => id !== seedB.contact.id)).toEqual([]);
      else expect(ids).toEqual([]);
      for (const secret of secretsOfA()) expect(res.raw).not.toContain(secret);
      // The same search finds it in A, so the empty answer is about the workspace.
      const inA = await gqlOk(testApp.url, CONTACTS, { s }, a.token);
      expect(inA.contacts.edges.map((e: any) => e.node.id)).toEqual([seedA.contact.id]);
    }
  });

  it("gets nothing when filtering tasks by A's member or contact", async () => {
    const { token } = viewer();
    const q = `query($a: ID, $c: ID) { tasks(assigneeId: $a, contactId: $c) { edges { node { id } } } }`;
    await gqlOk(testApp.url, ASSIGN, { t: seedA.task.id, m: aMember.memberId }, a.token);
    try {
      expect((await gqlOk(testApp.url, q, { a: aMember.memberId }, a.token)).tasks.edges).toHaveLength(1);
      expect((await gqlOk(testApp.url, q, { a: aMember.memberId }, token)).tasks.edges).toEqual([]);
      expect((await gqlOk(testApp.url, q, { c: seedA.contact.id }, token)).tasks.edges).toEqual([]);
    } finally {
      await gqlOk(testApp.url, ASSIGN, { t: seedA.task.id, m: null }, a.token);
    }
  });

  it("answers task(id: A's task) exactly like a random id", async () => {
    const { token } = viewer();
    const foreign = await gql(testApp.url, TASK, { id: seedA.task.id }, token);
    const random = await gql(testApp.url, TASK, { id: randomUUID() }, token);
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data).toEqual({ task: null });
    expect(random.data).toEqual({ task: null });
    expect(foreign.raw).toBe(random.raw);
    expect((await gqlOk(testApp.url, TASK, { id: seedA.task.id }, a.token)).task.id).toBe(seedA.task.id);
  });

  it("fails assignTask / setTaskStatus on A's task like on a missing one, changing nothing", async () => {
    const { token } = viewer();
    const before = await taskRow(seedA.task.id);
    const missing = randomUUID();
    const attempts: [string, Record<string, unknown>][] = [
      [SET_STATUS, { s: 'DONE' }],
      [ASSIGN, { m: null }],
      [ASSIGN, { m: b.memberId }],
    ];
    for (const [query, vars] of attempts) {
      const foreign = await gql(testApp.url, query, { ...vars, t: seedA.task.id }, token);
      const absent = await gql(testApp.url, query, { ...vars, t: missing }, token);
      expect(errorCode(foreign)).toBe('NOT_FOUND');
      expect(errorCode(absent)).toBe('NOT_FOUND');
      expect(foreign.data).toBeNull();
      expect(foreign.errors![0]!.message.replace(seedA.task.id, '<id>')).toBe(absent.errors![0]!.message.replace(missing, '<id>'));
      expect(foreign.errors![0]!.extensions).toEqual(absent.errors![0]!.extensions);
    }
    expect(await taskRow(seedA.task.id)).toEqual(before);
  });

  it("cannot assign B's task to A's member", async () => {
    const { token } = viewer();
    await gqlOk(testApp.url, ASSIGN, { t: seedB.task.id, m: bMember.memberId }, token);
    const before = await taskRow(seedB.task.id);
    expect(before.assigneeId).toBe(bMember.memberId);
    const res = await gql(testApp.url, ASSIGN, { t: seedB.task.id, m: aMember.memberId }, token);
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(res.raw).not.toContain(aMember.email);
    expect(await taskRow(seedB.task.id)).toEqual(before);
  });

  it("sees B's own member and workspace in me / workspace", async () => {
    const v = viewer();
    const res = await gqlOk(testApp.url, ME, {}, v.token);
    expect(res.me).toEqual({ id: v.memberId, email: v.email });
    expect(res.workspace).toEqual({ id: b.workspaceId, name: 'Workspace B' });
  });
});

describe('API keys', () => {
  it("B cannot revoke A's key, and A's key keeps working", async () => {
    const res = await gql(testApp.url, `mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: aKeyId }, b.token);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ revokeApiKey: false });
    const asMember = await gql(testApp.url, `mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: aKeyId }, bMember.token);
    expect(errorCode(asMember)).toBe('FORBIDDEN');
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: aKeyId } })).revokedAt).toBeNull();
    const me = await gqlOk(testApp.url, ME, {}, aKey);
    expect(me.me.id).toBe(a.memberId);
    expect(me.workspace.id).toBe(a.workspaceId);
    expect((await gqlOk(testApp.url, `{ apiKeys { id } }`, {}, b.token)).apiKeys).toEqual([]);
  });

  it("an API key of A on the websocket sees only A", async () => {
    const ws = client(aKey);
    const q = collect(ws, `{ me { id } workspace { id } tasks { edges { node { id } } } contacts { edges { node { id } } } }`);
    await eventually(() => expect(q.isCompleted()).toBe(true));
    expect(q.errors).toEqual([]);
    expect(q.events).toEqual([{
      me: { id: a.memberId },
      workspace: { id: a.workspaceId },
      tasks: { edges: [{ node: { id: seedA.task.id } }] },
      contacts: { edges: [{ node: { id: seedA.contact.id } }] },
    }]);

    const updates = watch<{ taskUpdated: { id: string } }>(ws, `subscription { taskUpdated { id } }`);
    await eventually(() => expect(testApp.app.events.subscriberCount).toBe(1));
    await gqlOk(testApp.url, SET_STATUS, { t: seedB.task.id, s: 'DONE' }, b.token);
    await gqlOk(testApp.url, SET_STATUS, { t: seedA.task.id, s: 'DONE' }, a.token);
    await eventually(() => expect(updates.events.length).toBeGreaterThan(0));
    await sleep(300);
    expect(updates.errors).toEqual([]);
    expect(updates.events.map((e) => e.taskUpdated.id)).toEqual([seedA.task.id]);
    await gqlOk(testApp.url, SET_STATUS, { t: seedA.task.id, s: 'OPEN' }, a.token);
  });
});

describe('subscriptions', () => {
  it("B's subscribers receive nothing of A's events, while A's do", async () => {
    const wsA = client(a.token);
    const wsB = client(b.token);
    const wsBm = client(bMember.token);
    const ofA = {
      created: watch(wsA, `subscription { taskCreated { id } }`),
      updated: watch(wsA, `subscription { taskUpdated { id status } }`),
      message: watch(wsA, `subscription($t: ID) { messageUpdated(taskId: $t) { id body } }`, { t: seedA.task.id }),
    };
    const ofB = [
      watch(wsB, `subscription { taskCreated { id title } }`),
      watch(wsB, `subscription { taskUpdated { id title } }`),
      watch(wsB, `subscription { messageUpdated { id body } }`),
      watch(wsB, `subscription($t: ID) { messageUpdated(taskId: $t) { id body } }`, { t: seedA.task.id }),
      watch(wsBm, `subscription { taskUpdated { id title } }`),
      watch(wsBm, `subscription($t: ID) { messageUpdated(taskId: $t) { id body } }`, { t: seedA.task.id }),
    ];
    await eventually(() => expect(testApp.app.events.subscriberCount).toBe(9));

    await gqlOk(testApp.url, SET_STATUS, { t: seedA.task.id, s: 'DONE' }, a.token);
    await prisma.$transaction(async (tx) => {
      await publish(tx, { name: 'taskCreated', workspaceId: a.workspaceId, id: seedA.task.id });
      await publish(tx, { name: 'messageUpdated', workspaceId: a.workspaceId, id: seedA.messages[0]!.id, taskId: seedA.task.id });
    });

    await eventually(() => {
      expect(ofA.updated.events).toEqual([{ taskUpdated: { id: seedA.task.id, status: 'DONE' } }]);
      expect(ofA.created.events).toEqual([{ taskCreated: { id: seedA.task.id } }]);
      expect(ofA.message.events).toEqual([{ messageUpdated: { id: seedA.messages[0]!.id, body: seedA.messages[0]!.body } }]);
    });
    await sleep(400);
    for (const sub of ofB) {
      expect(sub.errors).toEqual([]);
      expect(sub.events).toEqual([]);
    }

    // B's subscriptions are live: B's own change reaches them (and not A).
    await gqlOk(testApp.url, SET_STATUS, { t: seedB.task.id, s: 'OPEN' }, b.token);
    await eventually(() => {
      expect(ofB[1]!.events).toEqual([{ taskUpdated: { id: seedB.task.id, title: seedB.task.title } }]);
      expect(ofB[4]!.events).toEqual([{ taskUpdated: { id: seedB.task.id, title: seedB.task.title } }]);
    });
    await sleep(200);
    expect(ofA.updated.events).toHaveLength(1);
  });
});
