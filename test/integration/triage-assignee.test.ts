// Suggested assignee rules: the member who last replied to the contact, else
// the least busy member skilled in the task's type (stable ties), never a
// member of another workspace; skills are edited with updateMember.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { suggestAssignee } from '../../server/src/triage/assignee.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { addMember, prismaFor, seedConversation, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { gql, gqlOk } from '../helpers/graphql.ts';

let t: TestApp;
let prisma: PrismaClient;
let admin: SignedUp;

beforeAll(async () => {
  t = await startTestApp();
  prisma = prismaFor(t.databaseUrl);
  admin = await signUp(t.url, 'Acme');
});

afterAll(async () => {
  await prisma?.$disconnect();
  await t?.stop();
});

const SKILLS = 'mutation($id: ID!, $s: [TaskType!]) { updateMember(id: $id, skills: $s) { id skills } }';
const setSkills = (memberId: string, skills: string[]) => gqlOk<{ updateMember: { skills: string[] } }>(t.url, SKILLS, { id: memberId, s: skills }, admin.token);

async function reply(taskId: string, authorId: string, at: Date) {
  const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
  await prisma.message.create({
    data: { workspaceId: task.workspaceId, integrationId: task.integrationId, contactId: task.contactId, taskId, direction: 'OUTBOUND', status: 'SENT', channel: task.channel, body: 'reply', authorId, createdAt: at },
  });
}

describe('skills', () => {
  it('are edited by admins with updateMember, deduplicated, and cleared with []', async () => {
    const m = await addMember(t.url, admin.token);
    expect((await setSkills(m.memberId, ['BILLING', 'BUG', 'BILLING'])).updateMember.skills).toEqual(['BILLING', 'BUG']);
    expect((await setSkills(m.memberId, [])).updateMember.skills).toEqual([]);
    const res = await gql(t.url, SKILLS, { id: m.memberId, s: ['SALES'] }, m.token);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('suggestAssignee', () => {
  it('prefers the member who last replied to this contact, on any of their tasks', async () => {
    const a = await addMember(t.url, admin.token);
    const b = await addMember(t.url, admin.token);
    await setSkills(a.memberId, ['BILLING']);
    const { task, contact } = await seedConversation(prisma, admin.workspaceId);
    const older = await prisma.task.create({ data: { ...pick(task), title: 'Earlier', conversationKey: `${task.conversationKey}:old` } });
    await reply(older.id, a.memberId, new Date(Date.now() - 60_000));
    await reply(older.id, b.memberId, new Date(Date.now() - 30_000));
    const s = await suggestAssignee(prisma, { id: task.id, workspaceId: admin.workspaceId, contactId: contact.id }, 'BILLING');
    expect(s?.memberId).toBe(b.memberId);
    expect(s?.reason).toMatch(/last replied to this contact/);
  });

  it('otherwise takes the skilled member with the fewest OPEN tasks, ties to the earliest member', async () => {
    const ws = await signUp(t.url, 'Skills Co');
    const [x, y, z] = [await addMember(t.url, ws.token), await addMember(t.url, ws.token), await addMember(t.url, ws.token)];
    for (const m of [x, y, z]) await gqlOk(t.url, SKILLS, { id: m.memberId, s: ['BUG'] }, ws.token);
    const { task, contact } = await seedConversation(prisma, ws.workspaceId);
    const ctx = { id: task.id, workspaceId: ws.workspaceId, contactId: contact.id };
    // All idle: the earliest of the three.
    expect((await suggestAssignee(prisma, ctx, 'BUG'))?.memberId).toBe(x.memberId);
    // x gets two open tasks, y one open and one done, z one open: y and z tie at one; y joined first.
    const assign = async (memberId: string, status: 'OPEN' | 'DONE') => {
      const seeded = await seedConversation(prisma, ws.workspaceId);
      await prisma.task.update({ where: { id: seeded.task.id }, data: { assigneeId: memberId, status } });
    };
    await assign(x.memberId, 'OPEN');
    await assign(x.memberId, 'OPEN');
    await assign(y.memberId, 'OPEN');
    await assign(y.memberId, 'DONE');
    await assign(z.memberId, 'OPEN');
    const s = await suggestAssignee(prisma, ctx, 'BUG');
    expect(s?.memberId).toBe(y.memberId);
    expect(s?.reason).toMatch(/handles bug and has the fewest open tasks \(1\)/);
    // Nobody has the skill, or no type yet: no suggestion.
    expect(await suggestAssignee(prisma, ctx, 'SALES')).toBeNull();
    expect(await suggestAssignee(prisma, ctx, null)).toBeNull();
  });

  it('never suggests a member of another workspace, even one who wrote to a contact with the same task', async () => {
    const other = await signUp(t.url, 'Other');
    const outsider = await addMember(t.url, other.token);
    await gqlOk(t.url, SKILLS, { id: outsider.memberId, s: ['SALES'] }, other.token);
    const { task, contact } = await seedConversation(prisma, admin.workspaceId);
    // A corrupt row naming the outsider as author of a reply in our workspace must still not leak them.
    await reply(task.id, outsider.memberId, new Date());
    const s = await suggestAssignee(prisma, { id: task.id, workspaceId: admin.workspaceId, contactId: contact.id }, 'SALES');
    expect(s?.memberId ?? null).not.toBe(outsider.memberId);
  });
});

function pick(task: Awaited<ReturnType<typeof seedConversation>>['task']) {
  return { workspaceId: task.workspaceId, integrationId: task.integrationId, contactId: task.contactId, channel: task.channel };
}
