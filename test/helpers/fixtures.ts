// Sign-ups and domain rows for tests. Rows the pipeline will create in later
// features (contacts, tasks, messages, integrations) are written with Prisma
// here, the same way the pipeline does.
import { randomBytes } from 'node:crypto';
import { createPrisma, type PrismaClient } from '../../server/src/db.ts';
import { gqlOk } from './graphql.ts';

export interface SignedUp {
  token: string;
  memberId: string;
  workspaceId: string;
  email: string;
  password: string;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
}

export async function signUp(url: string, workspaceName = 'Acme'): Promise<SignedUp> {
  const email = uniqueEmail('admin');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const data = await gqlOk<{ signUp: { token: string; member: { id: string }; workspace: { id: string } } }>(
    url,
    `mutation($w: String!, $e: String!, $p: String!) { signUp(workspaceName: $w, name: "Ada Admin", email: $e, password: $p) { token member { id } workspace { id } } }`,
    { w: workspaceName, e: email, p: password },
  );
  return { token: data.signUp.token, memberId: data.signUp.member.id, workspaceId: data.signUp.workspace.id, email, password };
}

export async function addMember(url: string, adminToken: string, role: 'ADMIN' | 'MEMBER' = 'MEMBER'): Promise<SignedUp & { workspaceId: string }> {
  const email = uniqueEmail('member');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const added = await gqlOk<{ addMember: { id: string } }>(
    url,
    `mutation($e: String!, $p: String!, $r: Role!) { addMember(name: "Max Member", email: $e, password: $p, role: $r) { id } }`,
    { e: email, p: password, r: role },
    adminToken,
  );
  const signedIn = await gqlOk<{ signIn: { token: string; workspace: { id: string } } }>(
    url,
    `mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token workspace { id } } }`,
    { e: email, p: password },
  );
  return { token: signedIn.signIn.token, memberId: added.addMember.id, workspaceId: signedIn.signIn.workspace.id, email, password };
}

export function prismaFor(databaseUrl: string): PrismaClient {
  return createPrisma(databaseUrl, { max: 3 });
}

let seq = 0;

/** An integration, contact, task and two inbound messages in a workspace. */
export async function seedConversation(prisma: PrismaClient, workspaceId: string, opts: { channel?: 'SLACK' | 'EMAIL' | 'SMS' | 'WHATSAPP'; contactName?: string; createdAt?: Date } = {}) {
  const n = ++seq;
  const channel = opts.channel ?? 'EMAIL';
  const integration = await prisma.integration.create({
    data: { workspaceId, provider: channel === 'SLACK' ? 'SLACK' : channel === 'EMAIL' ? 'SENDGRID' : 'TWILIO', displayName: `Integration ${n}` },
  });
  const contact = await prisma.contact.create({
    data: { workspaceId, name: opts.contactName ?? `Customer ${n}`, email: `customer${n}-${randomBytes(3).toString('hex')}@example.test`, phone: `+1415555${String(1000 + n).padStart(4, '0')}` },
  });
  const conversationKey = `${integration.id}:${contact.id}:${n}`;
  const createdAt = opts.createdAt ?? new Date();
  const task = await prisma.task.create({
    data: {
      workspaceId, integrationId: integration.id, contactId: contact.id, channel, title: `Question ${n}`, conversationKey,
      address: channel === 'EMAIL' ? contact.email : contact.phone, subject: channel === 'EMAIL' ? `Question ${n}` : null, createdAt, lastMessageAt: createdAt,
    },
  });
  const messages = [];
  for (let i = 0; i < 2; i++) {
    messages.push(await prisma.message.create({
      data: {
        workspaceId, integrationId: integration.id, contactId: contact.id, taskId: task.id, direction: 'INBOUND', status: 'RECEIVED', channel,
        body: `message ${i + 1} of task ${n}`, providerMessageId: `pm-${n}-${i}`, conversationKey, createdAt: new Date(createdAt.getTime() + i * 1000),
      },
    }));
  }
  return { integration, contact, task, messages };
}
