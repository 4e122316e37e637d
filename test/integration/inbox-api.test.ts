// The API the web inbox leans on beyond the design's: the task list's
// preview line, where SMS replies come from, sending a failed reply again,
// editing members, and opening one contact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { addMember, prismaFor, signUp } from '../helpers/fixtures.ts';
import { gql, gqlOk } from '../helpers/graphql.ts';
import { startSlackEnv, taskIdOf, type SlackEnv } from '../helpers/slack.ts';
import { eventually } from '../helpers/wait.ts';

let env: SlackEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startSlackEnv({ env: { DELIVERY_BACKOFF_SECONDS: '0.2' } });
  prisma = prismaFor(env.t.databaseUrl);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.stop();
});

const expectError = (res: { errors?: { message: string; extensions?: Record<string, unknown> }[] }, code: string, field?: string) => {
  expect(res.errors?.[0]?.extensions?.code).toBe(code);
  if (field) expect(res.errors?.[0]?.extensions?.field).toBe(field);
  return res.errors![0]!.message;
};

async function openTask(text: string): Promise<string> {
  const event = env.message({ text });
  expect((await env.post(event)).status).toBe(200);
  return taskIdOf(env, prisma, event);
}

const messageStatus = async (id: string) => (await prisma.message.findUniqueOrThrow({ where: { id } })).status;

describe('the task list', () => {
  it('shows the latest message on one line, shortened, inbound or outbound', async () => {
    const long = `Our dashboard   shows\nan error ${'and more detail '.repeat(20)}`;
    const taskId = await openTask(long);
    const first = await gqlOk<{ task: { preview: string } }>(env.t.url, 'query($id: ID!) { task(id: $id) { preview } }', { id: taskId }, env.admin.token);
    expect(first.task.preview.startsWith('Our dashboard shows an error and more detail')).toBe(true);
    expect(first.task.preview.length).toBe(140);
    expect(first.task.preview.endsWith('…')).toBe(true);
    await gqlOk(env.t.url, 'mutation($t: ID!) { replyToTask(taskId: $t, body: "Looking into it now.") { id } }', { t: taskId }, env.admin.token);
    const list = await gqlOk<{ tasks: { edges: { node: { id: string; preview: string } }[] } }>(env.t.url, '{ tasks(first: 5) { edges { node { id preview } } } }', {}, env.admin.token);
    expect(list.tasks.edges.find((e) => e.node.id === taskId)?.node.preview).toBe('Looking into it now.');
  });
});

describe('retryMessage', () => {
  it('sends a failed reply again, once, and refuses replies that did not fail', async () => {
    const taskId = await openTask('Please call me back');
    env.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const { replyToTask } = await gqlOk<{ replyToTask: { id: string } }>(env.t.url, 'mutation($t: ID!) { replyToTask(taskId: $t, body: "Calling you at 3.") { id } }', { t: taskId }, env.admin.token);
    await eventually(async () => expect(await messageStatus(replyToTask.id)).toBe('FAILED'));
    const failed = await prisma.message.findUniqueOrThrow({ where: { id: replyToTask.id } });
    expect(failed.error).toBeTruthy();

    const member = await addMember(env.t.url, env.admin.token);
    const retried = await gqlOk<{ retryMessage: { id: string; status: string; error: string | null } }>(
      env.t.url, 'mutation($m: ID!) { retryMessage(messageId: $m) { id status error } }', { m: replyToTask.id }, member.token,
    );
    expect(retried.retryMessage).toEqual({ id: replyToTask.id, status: 'QUEUED', error: null });
    await eventually(async () => expect(await messageStatus(replyToTask.id)).toBe('SENT'));
    expect(env.slack.posted.filter((p) => p.metadata?.event_payload.message_id === replyToTask.id)).toHaveLength(1);

    // Sent now: nothing to retry.
    const again = await gql(env.t.url, 'mutation($m: ID!) { retryMessage(messageId: $m) { id } }', { m: replyToTask.id }, env.admin.token);
    expect(expectError(again, 'BAD_USER_INPUT')).toMatch(/only a failed reply/i);
    // A customer's message is not a reply.
    const inbound = await prisma.message.findFirstOrThrow({ where: { taskId, direction: 'INBOUND' } });
    expectError(await gql(env.t.url, 'mutation($m: ID!) { retryMessage(messageId: $m) { id } }', { m: inbound.id }, env.admin.token), 'NOT_FOUND');
    // Another workspace cannot touch it.
    const stranger = await signUp(env.t.url, 'Elsewhere');
    expectError(await gql(env.t.url, 'mutation($m: ID!) { retryMessage(messageId: $m) { id } }', { m: replyToTask.id }, stranger.token), 'NOT_FOUND');
  });
});

describe('updateMember', () => {
  const UPDATE = 'mutation($id: ID!, $name: String, $role: Role, $s: String, $p: String) { updateMember(id: $id, name: $name, role: $role, slackUserId: $s, phone: $p) { id name role slackUserId phone } }';

  it('changes what is given, normalises identities, clears with empty values', async () => {
    const m = await addMember(env.t.url, env.admin.token);
    const res = await gqlOk<{ updateMember: Record<string, unknown> }>(env.t.url, UPDATE, { id: m.memberId, name: 'Mo Member', s: 'U0MOMEMBER', p: '+44 20 7946 0958' }, env.admin.token);
    expect(res.updateMember).toMatchObject({ name: 'Mo Member', role: 'MEMBER', slackUserId: 'U0MOMEMBER', phone: '+442079460958' });
    const cleared = await gqlOk<{ updateMember: Record<string, unknown> }>(env.t.url, UPDATE, { id: m.memberId, p: '' }, env.admin.token);
    expect(cleared.updateMember).toMatchObject({ name: 'Mo Member', slackUserId: 'U0MOMEMBER', phone: null });
    expectError(await gql(env.t.url, UPDATE, { id: m.memberId, p: 'call me' }, env.admin.token), 'BAD_USER_INPUT', 'phone');
    expectError(await gql(env.t.url, UPDATE, { id: m.memberId, s: 'U0TEAMMATE' }, env.admin.token), 'CONFLICT', 'slackUserId');
  });

  it('promotes and demotes, but never the last admin; admins only; own workspace only', async () => {
    const m = await addMember(env.t.url, env.admin.token);
    expectError(await gql(env.t.url, UPDATE, { id: env.admin.memberId, role: 'MEMBER' }, m.token), 'FORBIDDEN');
    const stranger = await signUp(env.t.url, 'Other');
    expectError(await gql(env.t.url, UPDATE, { id: m.memberId, role: 'ADMIN' }, stranger.token), 'NOT_FOUND');
    expect((await gqlOk<{ updateMember: { role: string } }>(env.t.url, UPDATE, { id: m.memberId, role: 'ADMIN' }, env.admin.token)).updateMember.role).toBe('ADMIN');
    expect((await gqlOk<{ updateMember: { role: string } }>(env.t.url, UPDATE, { id: env.admin.memberId, role: 'MEMBER' }, m.token)).updateMember.role).toBe('MEMBER');
    const last = await gql(env.t.url, UPDATE, { id: m.memberId, role: 'MEMBER' }, m.token);
    expect(expectError(last, 'BAD_USER_INPUT', 'role')).toMatch(/only admin/i);
    // Restore for the other tests.
    await gqlOk(env.t.url, UPDATE, { id: env.admin.memberId, role: 'ADMIN' }, m.token);
  });
});

describe('contact(id)', () => {
  it('opens a contact of the workspace, and nothing of another', async () => {
    const taskId = await openTask('Who am I?');
    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    const res = await gqlOk<{ contact: { id: string; slackUserId: string } | null }>(env.t.url, 'query($id: ID!) { contact(id: $id) { id slackUserId } }', { id: task.contactId }, env.admin.token);
    expect(res.contact).toEqual({ id: task.contactId, slackUserId: 'U0CUSTOMER' });
    const stranger = await signUp(env.t.url, 'Strangers');
    expect((await gqlOk<{ contact: unknown }>(env.t.url, 'query($id: ID!) { contact(id: $id) { id } }', { id: task.contactId }, stranger.token)).contact).toBeNull();
  });
});
