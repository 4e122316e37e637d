// Tasks, contacts and integrations as the inbox reads them: ordering, Relay
// paging, filters, the task detail, contact search, assignment and status.
// Rows the pipeline will create are seeded with Prisma.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addMember, prismaFor, seedConversation, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { errorCode, gql, gqlOk, type GqlResult } from '../helpers/graphql.ts';
import { sleep } from '../helpers/wait.ts';

type Seed = Awaited<ReturnType<typeof seedConversation>>;
interface Row { id: string; createdAt: Date; channel: string; status: string; assigneeId: string | null; contactId: string }
interface Conn { edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

let t: TestApp;
let prisma: PrismaClient;
let admin: SignedUp;
let member: SignedUp;
let other: SignedUp;
let otherSeed: Seed;
const seeds: Seed[] = [];
let rows: Row[] = [];

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
const newestFirst = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);
const expectIds = (keep: (r: Row) => boolean) => rows.filter(keep).sort(newestFirst).map((r) => r.id);

beforeAll(async () => {
  t = await startTestApp();
  prisma = prismaFor(t.databaseUrl);
  admin = await signUp(t.url);
  member = await addMember(t.url, admin.token);
  other = await signUp(t.url, 'Other');
  otherSeed = await seedConversation(prisma, other.workspaceId, { contactName: 'Zoe Elsewhere', createdAt: at(30) });

  const plan = [
    { channel: 'EMAIL', minute: 0, contactName: 'Zoë Fontaine' },
    { channel: 'SMS', minute: 5, contactName: 'Bob Builder' },
    { channel: 'SLACK', minute: 3 },
    { channel: 'WHATSAPP', minute: 9 },
    { channel: 'EMAIL', minute: 7 },
    { channel: 'SMS', minute: 7 }, // same createdAt as the one before: ordered by id
    { channel: 'EMAIL', minute: 1 },
  ] as const;
  for (const p of plan) seeds.push(await seedConversation(prisma, admin.workspaceId, { channel: p.channel, contactName: 'contactName' in p ? p.contactName : undefined, createdAt: at(p.minute) }));
  // A second, newer task for the first contact; some tasks done or assigned.
  const s0 = seeds[0]!.task;
  const { id: _id, createdAt: _c, updatedAt: _u, routingToken: _r, ...copy } = s0;
  const extra = await prisma.task.create({ data: { ...copy, emailReferences: [], title: 'Follow-up', createdAt: at(11), lastMessageAt: at(11) } });
  await prisma.task.updateMany({ where: { id: { in: [seeds[1]!.task.id, seeds[4]!.task.id] } }, data: { status: 'DONE' } });
  await prisma.task.update({ where: { id: seeds[2]!.task.id }, data: { assigneeId: member.memberId } });
  await prisma.task.update({ where: { id: seeds[3]!.task.id }, data: { assigneeId: admin.memberId } });
  rows = await prisma.task.findMany({ where: { workspaceId: admin.workspaceId } });
  expect(rows.map((r) => r.id)).toContain(extra.id);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await t?.stop();
});

const TASKS = `query($first: Int, $after: String, $status: TaskStatus, $channel: Channel, $assigneeId: ID, $unassigned: Boolean, $contactId: ID) {
  tasks(first: $first, after: $after, status: $status, channel: $channel, assigneeId: $assigneeId, unassigned: $unassigned, contactId: $contactId) {
    edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const CONTACTS = `query($search: String, $first: Int, $after: String) {
  contacts(search: $search, first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

async function connection(kind: 'tasks' | 'contacts', vars: Record<string, unknown>, token = admin.token): Promise<Conn> {
  const data = await gqlOk<Record<string, Conn>>(t.url, kind === 'tasks' ? TASKS : CONTACTS, vars, token);
  return data[kind]!;
}

/** Walks every page and checks pageInfo on each; returns the ids in order. */
async function walk(kind: 'tasks' | 'contacts', first: number, vars: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let page = 0; ; page++) {
    expect(page).toBeLessThan(50);
    const c = await connection(kind, { ...vars, first, after });
    ids.push(...c.edges.map((e) => e.node.id));
    expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)?.cursor ?? null);
    if (!c.pageInfo.hasNextPage) {
      if (page > 0) expect(c.edges.length).toBeGreaterThan(0); // no empty trailing page
      return ids;
    }
    expect(c.edges).toHaveLength(first);
    after = c.pageInfo.endCursor!;
  }
}

const ids = async (vars: Record<string, unknown>) => (await connection('tasks', vars)).edges.map((e) => e.node.id);

function expectError(res: GqlResult, code: string, message?: RegExp): void {
  expect(errorCode(res), res.raw).toBe(code);
  if (message) expect(res.errors![0]!.message).toMatch(message);
}

describe('tasks', () => {
  it('lists only the workspace\'s tasks, newest first by createdAt, ties by id', async () => {
    const c = await connection('tasks', {});
    expect(c.edges.map((e) => e.node.id)).toEqual(expectIds(() => true));
    expect(c.edges[0]!.node.id).not.toBe(otherSeed.task.id);
    expect(c.pageInfo).toEqual({ hasNextPage: false, endCursor: c.edges.at(-1)!.cursor });
    // The seeded order, spelled out: minutes 11 (the follow-up), 9, 7 and 7 (by id, descending), 5, 3, 1, 0.
    const s = seeds.map((x) => x.task.id);
    const tie = [s[4]!, s[5]!].sort().reverse();
    expect(c.edges.slice(1).map((e) => e.node.id)).toEqual([s[3], ...tie, s[1], s[2], s[6], s[0]]);
  });

  it.each([1, 2, 3, 4, 8])('pages through everything with first=%i, without duplicates or gaps', async (first) => {
    expect(await walk('tasks', first)).toEqual(expectIds(() => true));
  });

  it('pages through a filtered list, and cursors do not depend on the fields selected', async () => {
    expect(await walk('tasks', 2, { status: 'OPEN' })).toEqual(expectIds((r) => r.status === 'OPEN'));
    const slim = await gqlOk<{ tasks: { edges: { cursor: string }[] } }>(t.url, '{ tasks(first: 3) { edges { cursor node { title } } } }', {}, admin.token);
    expect(slim.tasks.edges.map((e) => e.cursor)).toEqual((await connection('tasks', { first: 3 })).edges.map((e) => e.cursor));
  });

  it.each([0, -1, 201])('rejects first=%i with BAD_USER_INPUT', async (first) => {
    const res = await gql(t.url, TASKS, { first }, admin.token);
    expectError(res, 'BAD_USER_INPUT', /"first" must be between 1 and 200/);
    expect(res.errors![0]!.extensions?.field).toBe('first');
    expectError(await gql(t.url, CONTACTS, { first }, admin.token), 'BAD_USER_INPUT', /"first" must be between 1 and 200/);
  });

  it.each(['garbage', 'bm90IGEgY3Vyc29y', Buffer.from('yesterday|abc').toString('base64url')])('rejects the cursor %s with BAD_USER_INPUT', async (after) => {
    expectError(await gql(t.url, TASKS, { after }, admin.token), 'BAD_USER_INPUT', /"after" cursor is not one this API issued/);
    expectError(await gql(t.url, CONTACTS, { after }, admin.token), 'BAD_USER_INPUT', /"after" cursor/);
  });

  it('filters by status, channel, assignee, unassigned and contact, alone and combined', async () => {
    expect(await ids({ status: 'DONE' })).toEqual(expectIds((r) => r.status === 'DONE'));
    expect(await ids({ status: 'DONE' })).toHaveLength(2);
    expect(await ids({ channel: 'EMAIL' })).toEqual(expectIds((r) => r.channel === 'EMAIL'));
    expect(await ids({ channel: 'SLACK' })).toEqual([seeds[2]!.task.id]);
    expect(await ids({ assigneeId: member.memberId })).toEqual([seeds[2]!.task.id]);
    expect(await ids({ assigneeId: admin.memberId })).toEqual([seeds[3]!.task.id]);
    expect(await ids({ assigneeId: other.memberId })).toEqual([]);
    expect(await ids({ unassigned: true })).toEqual(expectIds((r) => r.assigneeId === null));
    expect(await ids({ unassigned: true })).toHaveLength(rows.length - 2);
    expect(await ids({ unassigned: false })).toEqual(expectIds((r) => r.assigneeId !== null));
    expect(await ids({ unassigned: false })).toHaveLength(2);
    expectError(await gql(t.url, TASKS, { assigneeId: member.memberId, unassigned: true }, admin.token), 'BAD_USER_INPUT', /either assigneeId or unassigned: true/);
    expect(await ids({ contactId: seeds[0]!.contact.id })).toEqual(expectIds((r) => r.contactId === seeds[0]!.contact.id));
    expect(await ids({ contactId: seeds[0]!.contact.id })).toHaveLength(2);
    expect(await ids({ contactId: otherSeed.contact.id })).toEqual([]);
    expect(await ids({ status: 'OPEN', channel: 'SMS' })).toEqual([seeds[5]!.task.id]);
  });
});

describe('task', () => {
  it('returns every field of the detail view, with messages oldest first and triage still empty', async () => {
    const { task, contact, integration, messages } = seeds[0]!;
    // Inserted last but written between the two inbound messages; and a failed reply by the admin.
    const base = { workspaceId: admin.workspaceId, integrationId: integration.id, contactId: contact.id, taskId: task.id, channel: 'EMAIL' as const, conversationKey: task.conversationKey };
    const reply = await prisma.message.create({ data: { ...base, direction: 'OUTBOUND', status: 'FAILED', error: 'Mailbox unavailable', body: 'Hello!', authorId: admin.memberId, createdAt: new Date(task.createdAt.getTime() + 60_000) } });
    const middle = await prisma.message.create({ data: { ...base, direction: 'INBOUND', status: 'RECEIVED', body: 'in between', providerMessageId: 'pm-middle', createdAt: new Date(task.createdAt.getTime() + 500) } });
    const data = await gqlOk<{ task: Record<string, unknown> }>(t.url, `query($id: ID!) { task(id: $id) {
      id status channel title createdAt updatedAt lastMessageAt type priority triageReason suggestedAssignee { id } assignee { id }
      contact { id name email phone slackUserId createdAt }
      conversation { channel integration { id provider displayName status webhookUrl lastError } slackChannelId slackChannelName slackThreadTs address subject }
      messages { id direction status error body author { id name } createdAt } } }`, { id: task.id }, admin.token);
    const msg = (m: typeof reply, author: { id: string; name: string } | null) =>
      ({ id: m.id, direction: m.direction, status: m.status, error: m.error, body: m.body, author, createdAt: m.createdAt.toISOString() });
    expect(data.task).toEqual({
      id: task.id, status: 'OPEN', channel: 'EMAIL', title: task.title,
      createdAt: task.createdAt.toISOString(), updatedAt: task.updatedAt.toISOString(), lastMessageAt: task.lastMessageAt.toISOString(),
      type: null, priority: null, triageReason: null, suggestedAssignee: null, assignee: null,
      contact: { id: contact.id, name: 'Zoë Fontaine', email: contact.email, phone: contact.phone, slackUserId: null, createdAt: contact.createdAt.toISOString() },
      conversation: {
        channel: 'EMAIL', integration: { id: integration.id, provider: 'SENDGRID', displayName: integration.displayName, status: 'CONNECTED', webhookUrl: null, lastError: null },
        slackChannelId: null, slackChannelName: null, slackThreadTs: null, address: contact.email, subject: task.subject,
      },
      messages: [msg(messages[0]!, null), msg(middle, null), msg(messages[1]!, null), msg(reply, { id: admin.memberId, name: 'Ada Admin' })],
    });
  });

  it('gives an SMS conversation the customer\'s number and no subject', async () => {
    const { task, contact } = seeds[1]!;
    const data = await gqlOk<{ task: { conversation: { channel: string; address: string; subject: string | null; integration: { provider: string } } } }>(
      t.url, 'query($id: ID!) { task(id: $id) { conversation { channel address subject integration { provider } } } }', { id: task.id }, admin.token);
    expect(data.task.conversation).toEqual({ channel: 'SMS', address: contact.phone, subject: null, integration: { provider: 'TWILIO' } });
  });

  it('is null when absent or in another workspace', async () => {
    for (const id of ['does-not-exist', otherSeed.task.id]) {
      const res = await gql(t.url, 'query($id: ID!) { task(id: $id) { id } }', { id }, admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ task: null });
    }
  });
});

describe('contacts', () => {
  const search = async (s: string) => (await connection('contacts', { search: s })).edges.map((e) => e.node.id);

  it('matches names case-insensitively, emails, and phones typed with spaces or punctuation', async () => {
    const zoe = seeds[0]!.contact;
    const bob = seeds[1]!.contact;
    const all = seeds.map((s) => s.contact.id);
    expect(await search('fontaine')).toEqual([zoe.id]);
    expect(await search('ZOË')).toEqual([zoe.id]);
    expect(await search('zoe')).toEqual([]); // the other workspace's "Zoe Elsewhere" never shows
    expect(await search(bob.email!.toUpperCase())).toEqual([bob.id]);
    expect(await search(bob.phone!)).toEqual([bob.id]);
    const spaced = `${bob.phone!.slice(0, 2)} ${bob.phone!.slice(2, 5)} ${bob.phone!.slice(5, 8)} ${bob.phone!.slice(8)}`; // "+1 415 555 1234"
    expect(await search(spaced)).toEqual([bob.id]);
    expect(await search(`(${bob.phone!.slice(2, 5)}) ${bob.phone!.slice(5, 8)}-${bob.phone!.slice(8)}`)).toEqual([bob.id]);
    expect((await search('+1 415 555')).sort()).toEqual([...all].sort());
    expect(await search('no such person')).toEqual([]);
    // Digits inside a non-phone search (an email, a name) are not matched against phone numbers.
    expect(await search('x555y')).toEqual([]);
    expect((await search('   ')).sort()).toEqual([...all].sort());
  });

  it('lists newest first and pages without duplicates or gaps', async () => {
    const expected = (await prisma.contact.findMany({ where: { workspaceId: admin.workspaceId } })).sort(newestFirst).map((c) => c.id);
    expect(await walk('contacts', 200)).toEqual(expected);
    expect(await walk('contacts', 3)).toEqual(expected);
    expect(await walk('contacts', 2, { search: '415' })).toEqual(expected);
    expect(await walk('contacts', 1, { search: 'Builder' })).toEqual([seeds[1]!.contact.id]);
  });

  it('takes %, _ and \\ in a search literally', async () => {
    const odd = await prisma.contact.create({ data: { workspaceId: admin.workspaceId, name: '100% Pure_Juice \\ Co' } });
    for (const s of ['%', '_', '0% p', 'e_j', '\\']) expect(await search(s)).toEqual([odd.id]);
    expect(await search('0%_p')).toEqual([]);
    expect(await search('Pure Juice')).toEqual([]);
  });
});

describe('assignTask and setTaskStatus', () => {
  const TASK = 'id status updatedAt assignee { id name }';
  const assign = (taskId: string, memberId: string | null, token = admin.token) =>
    gql<{ assignTask: { id: string; status: string; updatedAt: string; assignee: { id: string } | null } }>(
      t.url, `mutation($t: ID!, $m: ID) { assignTask(taskId: $t, memberId: $m) { ${TASK} } }`, { t: taskId, m: memberId }, token);
  const setStatus = (taskId: string, status: string, token = admin.token) =>
    gql<{ setTaskStatus: { id: string; status: string; updatedAt: string; assignee: { id: string } | null } }>(
      t.url, `mutation($t: ID!, $s: TaskStatus!) { setTaskStatus(taskId: $t, status: $s) { ${TASK} } }`, { t: taskId, s: status }, token);
  const stored = (id: string) => prisma.task.findUniqueOrThrow({ where: { id } });

  it('assigns to a member, unassigns with null, and moves updatedAt each time', async () => {
    const { task } = await seedConversation(prisma, admin.workspaceId, { createdAt: at(-60) });
    let last = task.updatedAt.toISOString();
    const steps: [string | null, string][] = [[member.memberId, admin.token], [null, member.token], [admin.memberId, member.token]];
    for (const [memberId, token] of steps) {
      await sleep(5);
      const res = await assign(task.id, memberId, token);
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.data!.assignTask).toMatchObject({ id: task.id, status: 'OPEN', assignee: memberId ? { id: memberId } : null });
      expect(res.data!.assignTask.updatedAt > last).toBe(true);
      last = res.data!.assignTask.updatedAt;
      expect((await stored(task.id)).assigneeId).toBe(memberId);
    }
  });

  it('refuses an unknown member or one of another workspace, changing nothing', async () => {
    const { task } = await seedConversation(prisma, admin.workspaceId, { createdAt: at(-61) });
    for (const memberId of ['no-such-member', other.memberId]) {
      expectError(await assign(task.id, memberId), 'NOT_FOUND', new RegExp(`No member with id "${memberId}"`));
    }
    const row = await stored(task.id);
    expect(row.assigneeId).toBeNull();
    expect(row.updatedAt).toEqual(task.updatedAt);
  });

  it('moves a task OPEN -> DONE -> OPEN, keeping its assignee', async () => {
    const { task } = await seedConversation(prisma, admin.workspaceId, { createdAt: at(-62) });
    await prisma.task.update({ where: { id: task.id }, data: { assigneeId: member.memberId } });
    let last = (await stored(task.id)).updatedAt.toISOString();
    for (const status of ['DONE', 'OPEN']) {
      await sleep(5);
      const res = await setStatus(task.id, status, member.token);
      expect(res.errors, res.raw).toBeUndefined();
      expect(res.data!.setTaskStatus).toMatchObject({ id: task.id, status, assignee: { id: member.memberId } });
      expect(res.data!.setTaskStatus.updatedAt > last).toBe(true);
      last = res.data!.setTaskStatus.updatedAt;
      expect((await stored(task.id)).status).toBe(status);
    }
  });

  it('answers NOT_FOUND for a task that does not exist or belongs to another workspace', async () => {
    for (const id of ['does-not-exist', otherSeed.task.id]) {
      expectError(await assign(id, null), 'NOT_FOUND', new RegExp(`No task with id "${id}"`));
      expectError(await assign(id, member.memberId), 'NOT_FOUND', /No task/);
      expectError(await setStatus(id, 'DONE'), 'NOT_FOUND', /No task/);
    }
    const row = await stored(otherSeed.task.id);
    expect(row).toMatchObject({ status: 'OPEN', assigneeId: null, updatedAt: otherSeed.task.updatedAt });
  });
});

describe('integrations', () => {
  it('lists the workspace\'s integrations with their webhook URLs and nothing secret', async () => {
    const seeded = await prisma.integration.findMany({ where: { workspaceId: admin.workspaceId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const secret = `xoxb-${'s3cr3t'.repeat(6)}`;
    await t.app.services.credentials.put(seeded[2]!.id, { botToken: secret, signingSecret: `sig-${secret}` });
    const res = await gql<{ integrations: Record<string, unknown>[] }>(t.url, '{ integrations { id provider status displayName webhookUrl lastError createdAt } }', {}, member.token);
    expect(res.data!.integrations).toEqual(seeded.map((i) => ({
      id: i.id, provider: i.provider, status: 'CONNECTED', displayName: i.displayName, lastError: null, createdAt: i.createdAt.toISOString(),
      // Slack's Events API URL, Twilio's "A message comes in" URL; a SendGrid URL carries a secret made by
      // connectSendGrid, which these seeded rows never went through.
      webhookUrl: i.provider === 'SENDGRID' ? null : `${t.url}/webhooks/${i.provider.toLowerCase()}/${i.id}`,
    })));
    expect(res.raw).not.toContain('s3cr3t');
    const fields = await gqlOk<{ __type: { fields: { name: string }[] } }>(t.url, '{ __type(name: "Integration") { fields { name } } }', {}, admin.token);
    expect(fields.__type.fields.map((f) => f.name)).toContain('displayName');
    for (const { name } of fields.__type.fields) expect(name).not.toMatch(/secret|token|password|credential|key|config|cipher/i);
  });

  it('needs a token', async () => {
    expectError(await gql(t.url, '{ integrations { id } }'), 'UNAUTHENTICATED');
    expectError(await gql(t.url, '{ tasks { edges { cursor } } }'), 'UNAUTHENTICATED');
  });
});
