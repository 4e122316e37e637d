// mergeContacts(sourceId, targetId): an admin tells Parley two contacts are one
// person. The source's tasks and messages move to the target, the target gets
// the identities and name it lacks, the source is deleted, and the source's
// identities lead to the target from then on.
import type { Client } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { CONTACT_FIELDS, startAllChannelsEnv, type AllChannelsEnv } from '../helpers/all-channels.ts';
import { addMember, prismaFor, seedConversation, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { collect, errorCode, gql, gqlOk, wsClient, type GqlResult } from '../helpers/graphql.ts';
import { eventually } from '../helpers/wait.ts';

let env: AllChannelsEnv;
let prisma: PrismaClient;
let member: SignedUp;
let other: SignedUp;
const clients: Client[] = [];

beforeAll(async () => {
  env = await startAllChannelsEnv();
  prisma = prismaFor(env.t.databaseUrl);
  member = await addMember(env.t.url, env.admin.token, 'MEMBER');
  other = await signUp(env.t.url, 'Other Co');
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await prisma?.$disconnect();
  await env?.stop();
});

interface ContactView {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  slackUserId: string | null;
}

const MERGE = `mutation($s: ID!, $t: ID!) { mergeContacts(sourceId: $s, targetId: $t) { ${CONTACT_FIELDS} } }`;
const merge = (sourceId: string, targetId: string, token = env.admin.token): Promise<GqlResult<{ mergeContacts: ContactView }>> =>
  gql<{ mergeContacts: ContactView }>(env.t.url, MERGE, { s: sourceId, t: targetId }, token);

async function taskContact(taskId: string): Promise<ContactView> {
  const data = await gqlOk<{ task: { contact: ContactView } }>(env.t.url, `query($id: ID!) { task(id: $id) { contact { ${CONTACT_FIELDS} } } }`, { id: taskId }, env.admin.token);
  return data.task.contact;
}

const contactIdOf = async (taskId: string) => (await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).contactId;
const lookupsOf = (user: string) => env.slack.callsTo('users.info').filter((c) => c.params.user === user);

/** The message row of an inbound message, once stored. */
const rowOf = (integrationId: string, providerMessageId: string) => prisma.message.findFirstOrThrow({ where: { integrationId, providerMessageId } });

/** Everything a failed merge must leave as it was. */
async function snapshot(contactIds: string[]) {
  return {
    contacts: await prisma.contact.findMany({ where: { id: { in: contactIds } }, orderBy: { id: 'asc' } }),
    tasks: await prisma.task.findMany({ where: { contactId: { in: contactIds } }, select: { id: true, contactId: true, updatedAt: true }, orderBy: { id: 'asc' } }),
    messages: await prisma.message.findMany({ where: { contactId: { in: contactIds } }, select: { id: true, contactId: true, taskId: true }, orderBy: { id: 'asc' } }),
  };
}

describe('mergeContacts', () => {
  it('moves tasks and messages to the target, gives it the source\'s identities and name, deletes the source, and announces the moved tasks', async () => {
    // The source: Sam on Slack (users.info gives the name and email), then by email: one contact, two tasks.
    const sam = 'U0SAMSRC01';
    env.addSlackUser(sam, { realName: 'Sam Source', email: 'sam@example.com' });
    const slackMsg = await env.postSlack(env.slackMessage({ user: sam, text: 'Slack question' }));
    const slackTask = await env.taskOf(prisma, env.integrations.slack, slackMsg.providerMessageId);
    const mail = await env.email({ from: 'Sam <sam@example.com>', subject: 'Email question', text: 'Email question' });
    const mailTask = await env.taskOf(prisma, env.integrations.sendgrid, mail.providerMessageId);
    const source = await taskContact(slackTask);
    expect(await contactIdOf(mailTask)).toBe(source.id);
    expect(source).toMatchObject({ name: 'Sam Source', email: 'sam@example.com', slackUserId: sam, phone: null });

    // The target: the same person texting from a number, nameless.
    const phone = '+14155550131';
    const sms = await env.sms('Texting too', { from: phone });
    const smsTask = await env.taskOf(prisma, env.integrations.twilio, sms.providerMessageId);
    const target = await taskContact(smsTask);
    expect(target).toMatchObject({ phone, name: null, email: null, slackUserId: null });
    const sourceMessages = (await prisma.message.findMany({ where: { contactId: source.id }, select: { id: true } })).map((m) => m.id);
    expect(sourceMessages).toHaveLength(2);

    const client = wsClient(env.t.wsUrl, env.admin.token);
    clients.push(client);
    const before = env.t.app.events.subscriberCount;
    const updates = collect<{ taskUpdated: { id: string; contact: { id: string; email: string | null } } }>(client, 'subscription { taskUpdated { id contact { id email } } }');
    try {
      await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThan(before));

      const res = await merge(source.id, target.id);
      expect(res.errors).toBeUndefined();
      expect(res.data?.mergeContacts).toEqual({ id: target.id, name: 'Sam Source', email: 'sam@example.com', phone, slackUserId: sam });

      // Both moved tasks are announced, already showing the target.
      await eventually(() => {
        const seen = updates.events.map((e) => e.taskUpdated);
        expect(seen).toEqual(expect.arrayContaining([
          { id: slackTask, contact: { id: target.id, email: 'sam@example.com' } },
          { id: mailTask, contact: { id: target.id, email: 'sam@example.com' } },
        ]));
      });
      expect(updates.errors).toEqual([]);
    } finally {
      updates.stop();
    }

    expect(await prisma.contact.findUnique({ where: { id: source.id } })).toBeNull();
    for (const id of [slackTask, mailTask, smsTask]) expect(await contactIdOf(id)).toBe(target.id);
    expect(await taskContact(slackTask)).toEqual({ id: target.id, name: 'Sam Source', email: 'sam@example.com', phone, slackUserId: sam });
    expect(await prisma.message.count({ where: { contactId: source.id } })).toBe(0);
    const moved = await prisma.message.findMany({ where: { id: { in: sourceMessages } } });
    expect(moved.map((m) => m.contactId)).toEqual([target.id, target.id]);
    // Still in their tasks.
    expect(new Set(moved.map((m) => m.taskId))).toEqual(new Set([slackTask, mailTask]));
    const listed = await gqlOk<{ contacts: { edges: { node: { id: string } }[] } }>(env.t.url, 'query { contacts(search: "sam") { edges { node { id } } } }', {}, env.admin.token);
    expect(listed.contacts.edges.map((e) => e.node.id)).toEqual([target.id]);

    // From now on every identity of the source leads to the target: Slack id (without asking Slack again), email, phone.
    const lookups = lookupsOf(sam).length;
    const slackAgain = await env.postSlack(env.slackMessage({ user: sam, text: 'Slack after the merge' }));
    expect((await rowOf(env.integrations.slack, slackAgain.providerMessageId)).contactId).toBe(target.id);
    const mailAgain = await env.email({ from: 'SAM@example.com', subject: 'After the merge', text: 'Email after the merge' });
    expect((await rowOf(env.integrations.sendgrid, mailAgain.providerMessageId)).contactId).toBe(target.id);
    const smsAgain = await env.sms('SMS after the merge', { from: phone });
    expect((await rowOf(env.integrations.twilio, smsAgain.providerMessageId)).contactId).toBe(target.id);
    for (const [integrationId, posted] of [[env.integrations.slack, slackAgain], [env.integrations.sendgrid, mailAgain]] as const) {
      expect(await contactIdOf(await env.taskOf(prisma, integrationId, posted.providerMessageId))).toBe(target.id);
    }
    expect(lookupsOf(sam)).toHaveLength(lookups);
    expect(await prisma.contact.count({ where: { workspaceId: env.workspaceId, OR: [{ email: 'sam@example.com' }, { phone }, { slackUserId: sam }] } })).toBe(1);
  });

  it('keeps the target\'s own name and identities where both have one', async () => {
    const phone = '+14155550132';
    const wa = await env.whatsapp('Hi from WhatsApp', { from: phone, profileName: 'Wanda WA' });
    const waTask = await env.taskOf(prisma, env.integrations.twilio, wa.providerMessageId);
    const source = await taskContact(waTask);
    // The source also has an email of its own (e.g. typed into a CRM), and the target has one too.
    await prisma.contact.update({ where: { id: source.id }, data: { email: 'wanda.old@example.com' } });
    const mail = await env.email({ from: 'Wanda Target <wanda@example.com>', subject: 'Hello', text: 'Hi from email' });
    const mailTask = await env.taskOf(prisma, env.integrations.sendgrid, mail.providerMessageId);
    const target = await taskContact(mailTask);
    expect(target).toMatchObject({ name: 'Wanda Target', email: 'wanda@example.com', phone: null, slackUserId: null });

    const res = await merge(source.id, target.id);
    expect(res.errors).toBeUndefined();
    expect(res.data?.mergeContacts).toEqual({ id: target.id, name: 'Wanda Target', email: 'wanda@example.com', phone, slackUserId: null });
    expect(await prisma.contact.findUnique({ where: { id: source.id } })).toBeNull();
    expect(await contactIdOf(waTask)).toBe(target.id);

    // The phone that moved leads to the target, and a profile name does not rename it.
    const waAgain = await env.whatsapp('Again', { from: phone, profileName: 'Wanda WA' });
    expect((await rowOf(env.integrations.twilio, waAgain.providerMessageId)).contactId).toBe(target.id);
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: target.id } })).name).toBe('Wanda Target');
    const mailAgain = await env.email({ from: 'wanda@example.com', subject: 'Again', text: 'Again' });
    expect((await rowOf(env.integrations.sendgrid, mailAgain.providerMessageId)).contactId).toBe(target.id);
  });

  it('puts a burst still waiting for its task when the contacts are merged into a task of the target', async () => {
    const phone = '+14155550133';
    const target = await prisma.contact.create({ data: { workspaceId: env.workspaceId, name: 'Tara Target', email: 'tara@example.com' } });
    const sms = await env.sms('Quick question', { from: phone });
    const row = await rowOf(env.integrations.twilio, sms.providerMessageId);
    expect(row.contactId).not.toBeNull();
    const res = await merge(row.contactId!, target.id);
    expect(res.errors).toBeUndefined();
    const taskId = await env.taskOf(prisma, env.integrations.twilio, sms.providerMessageId);
    expect(await taskContact(taskId)).toEqual({ id: target.id, name: 'Tara Target', email: 'tara@example.com', phone, slackUserId: null });
    // The next message of the thread joins that task.
    const next = await env.sms('Still there?', { from: phone });
    expect(await env.taskOf(prisma, env.integrations.twilio, next.providerMessageId)).toBe(taskId);
  });

  it('refuses the same contact twice, unknown ids and another workspace\'s contacts, changing nothing', async () => {
    const a = await seedConversation(prisma, env.workspaceId, { contactName: 'Alice A' });
    const b = await seedConversation(prisma, env.workspaceId, { contactName: 'Bob B' });
    const foreign = await seedConversation(prisma, other.workspaceId, { contactName: 'Frank Foreign' });
    const ids = [a.contact.id, b.contact.id, foreign.contact.id];
    const before = await snapshot(ids);

    const same = await merge(a.contact.id, a.contact.id);
    expect(errorCode(same)).toBe('BAD_USER_INPUT');
    expect(same.errors?.[0]?.extensions?.field).toBe('targetId');

    const unknown = randomUUID();
    for (const [s, t] of [[unknown, a.contact.id], [a.contact.id, unknown], ['not-an-id', a.contact.id], [a.contact.id, 'not-an-id']] as const) {
      const res = await merge(s, t);
      expect(errorCode(res), `${s} -> ${t}`).toBe('NOT_FOUND');
      expect(res.data?.mergeContacts ?? null).toBeNull();
    }
    // Another workspace's contact, either way round, and by the other workspace's admin.
    for (const [s, t, token] of [
      [foreign.contact.id, a.contact.id, env.admin.token],
      [a.contact.id, foreign.contact.id, env.admin.token],
      [a.contact.id, b.contact.id, other.token],
      [foreign.contact.id, a.contact.id, other.token],
    ] as const) {
      const res = await merge(s, t, token);
      expect(errorCode(res), `${s} -> ${t}`).toBe('NOT_FOUND');
      // The error names nothing of the other workspace's contact beyond the id given.
      expect(res.raw).not.toContain('Frank Foreign');
      expect(res.raw).not.toContain('Alice A');
    }
    expect(await snapshot(ids)).toEqual(before);
  });

  it('is for admins only: a member gets FORBIDDEN, a stranger UNAUTHENTICATED, and nothing changes', async () => {
    const a = await seedConversation(prisma, env.workspaceId, { contactName: 'Carl C' });
    const b = await seedConversation(prisma, env.workspaceId, { contactName: 'Dora D' });
    const before = await snapshot([a.contact.id, b.contact.id]);
    expect(errorCode(await merge(a.contact.id, b.contact.id, member.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(env.t.url, MERGE, { s: a.contact.id, t: b.contact.id }))).toBe('UNAUTHENTICATED');
    expect(await snapshot([a.contact.id, b.contact.id])).toEqual(before);
    // The member can still see both.
    const seen = await gqlOk<{ contacts: { edges: { node: { id: string } }[] } }>(env.t.url, 'query { contacts(first: 100) { edges { node { id } } } }', {}, member.token);
    expect(seen.contacts.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([a.contact.id, b.contact.id]));
  });

  it('lets only one of two concurrent merges of the same pair happen; the other gets NOT_FOUND', async () => {
    for (let round = 0; round < 4; round++) {
      const s = await seedConversation(prisma, env.workspaceId, { contactName: `Source ${round}` });
      const t = await seedConversation(prisma, env.workspaceId, { contactName: `Target ${round}` });
      const results = await Promise.all([merge(s.contact.id, t.contact.id), merge(s.contact.id, t.contact.id), merge(s.contact.id, t.contact.id)]);
      const ok = results.filter((r) => !r.errors && r.data?.mergeContacts);
      expect(ok, JSON.stringify(results.map((r) => r.errors))).toHaveLength(1);
      expect(ok[0]!.data!.mergeContacts.id).toBe(t.contact.id);
      expect(results.filter((r) => errorCode(r) === 'NOT_FOUND')).toHaveLength(2);
      expect(await prisma.contact.findUnique({ where: { id: s.contact.id } })).toBeNull();
      expect(await prisma.task.count({ where: { contactId: t.contact.id } })).toBe(2);
      expect(await prisma.message.count({ where: { contactId: t.contact.id } })).toBe(4);
      // The target kept its own identities (both had all of them).
      expect(await prisma.contact.findUniqueOrThrow({ where: { id: t.contact.id } })).toMatchObject({ name: t.contact.name, email: t.contact.email, phone: t.contact.phone });
    }
  });

  it('lets only one of two opposite concurrent merges happen, leaving one contact with everything', async () => {
    for (let round = 0; round < 4; round++) {
      const x = await seedConversation(prisma, env.workspaceId, { contactName: `X ${round}` });
      const y = await seedConversation(prisma, env.workspaceId, { contactName: `Y ${round}` });
      const [xy, yx] = await Promise.all([merge(x.contact.id, y.contact.id), merge(y.contact.id, x.contact.id)]);
      const winners = [xy, yx].filter((r) => !r.errors);
      expect(winners, JSON.stringify([xy.errors, yx.errors])).toHaveLength(1);
      expect([xy, yx].filter((r) => errorCode(r) === 'NOT_FOUND')).toHaveLength(1);
      const survivor = winners[0]!.data!.mergeContacts.id;
      const gone = survivor === x.contact.id ? y.contact.id : x.contact.id;
      expect(await prisma.contact.findUnique({ where: { id: gone } })).toBeNull();
      expect(await prisma.task.count({ where: { contactId: survivor } })).toBe(2);
      expect(await prisma.message.count({ where: { contactId: survivor } })).toBe(4);
    }
  });
});
