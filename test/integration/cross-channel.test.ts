// One person, one contact: the same customer writing on Slack, by email, SMS
// and WhatsApp is matched to one contact per workspace (Slack id, email
// whatever its case, E.164 phone), and identities learnt on one channel are
// linked to the contact found on another. Workspaces never share contacts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { CONTACT_FIELDS, CUSTOMER, startAllChannelsEnv, type AllChannelsEnv } from '../helpers/all-channels.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { gqlOk } from '../helpers/graphql.ts';

let env: AllChannelsEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startAllChannelsEnv();
  prisma = prismaFor(env.t.databaseUrl);
});

afterAll(async () => {
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

interface TaskView {
  id: string;
  channel: string;
  contact: ContactView;
  messages: { body: string }[];
}

async function task(id: string, token = env.admin.token): Promise<TaskView> {
  const data = await gqlOk<{ task: TaskView }>(env.t.url, `query($id: ID!) { task(id: $id) { id channel contact { ${CONTACT_FIELDS} } messages { body } } }`, { id }, token);
  return data.task;
}

/** Contacts of the workspace that carry any of these identities. */
function contactsWith(workspaceId: string, ids: { email?: string; phone?: string; slackUserId?: string }) {
  return prisma.contact.findMany({
    where: {
      workspaceId,
      OR: [
        ...(ids.email ? [{ email: { equals: ids.email, mode: 'insensitive' as const } }] : []),
        ...(ids.phone ? [{ phone: ids.phone }] : []),
        ...(ids.slackUserId ? [{ slackUserId: ids.slackUserId }] : []),
      ],
    },
  });
}

const lookupsOf = (user: string) => env.slack.callsTo('users.info').filter((c) => c.params.user === user);

describe('one person, one contact', () => {
  it('puts an email from the address Slack gave for a user (in another case) on the Slack contact', async () => {
    const fromSlack = await env.postSlack(env.slackMessage({ text: 'Hi from Slack' }));
    expect(fromSlack.status).toBe(200);
    const slackTask = await task(await env.taskOf(prisma, env.integrations.slack, fromSlack.providerMessageId));
    expect(slackTask.channel).toBe('SLACK');
    expect(slackTask.contact).toMatchObject({ name: 'Cora Customer', email: 'cora@example.com', slackUserId: CUSTOMER, phone: null });
    expect(await prisma.contact.count({ where: { workspaceId: env.workspaceId } })).toBe(1);

    const fromEmail = await env.email({ from: 'Cora <CORA@example.com>', subject: 'Following up by email', text: 'Same person, by email' });
    expect(fromEmail.status).toBe(200);
    const emailTaskId = await env.taskOf(prisma, env.integrations.sendgrid, fromEmail.providerMessageId);
    expect(emailTaskId).not.toBe(slackTask.id);
    const emailTask = await task(emailTaskId);
    expect(emailTask.channel).toBe('EMAIL');
    expect(emailTask.contact.id).toBe(slackTask.contact.id);
    // The name it already had is kept ("Cora" from the From header does not replace it).
    expect(emailTask.contact).toMatchObject({ name: 'Cora Customer', email: 'cora@example.com', slackUserId: CUSTOMER });
    expect(await prisma.contact.count({ where: { workspaceId: env.workspaceId } })).toBe(1);
    // The message row itself carries the contact too.
    const row = await prisma.message.findFirst({ where: { integrationId: env.integrations.sendgrid, providerMessageId: fromEmail.providerMessageId } });
    expect(row?.contactId).toBe(slackTask.contact.id);
    // And the contact list shows one Cora.
    const listed = await gqlOk<{ contacts: { edges: { node: ContactView }[] } }>(env.t.url, `query { contacts(search: "cora") { edges { node { ${CONTACT_FIELDS} } } } }`, {}, env.admin.token);
    expect(listed.contacts.edges.map((e) => e.node.id)).toEqual([slackTask.contact.id]);
  });

  it('matches an SMS to the contact a WhatsApp message from the same number created', async () => {
    const phone = '+14155550123';
    const wa = await env.whatsapp('Hello on WhatsApp', { from: phone, profileName: 'Walt Whats' });
    expect(wa.status).toBe(200);
    const waTask = await task(await env.taskOf(prisma, env.integrations.twilio, wa.providerMessageId));
    expect(waTask.channel).toBe('WHATSAPP');
    expect(waTask.contact).toMatchObject({ phone, name: 'Walt Whats', email: null, slackUserId: null });

    const sms = await env.sms('And now by SMS', { from: phone });
    expect(sms.status).toBe(200);
    const smsTaskId = await env.taskOf(prisma, env.integrations.twilio, sms.providerMessageId);
    // Another channel, so another thread and task, but the same person.
    expect(smsTaskId).not.toBe(waTask.id);
    const smsTask = await task(smsTaskId);
    expect(smsTask.channel).toBe('SMS');
    expect(smsTask.contact).toEqual(waTask.contact);
    expect(await contactsWith(env.workspaceId, { phone })).toHaveLength(1);
  });

  it('matches an SMS to a contact whose phone was known before (e.g. from a CRM import)', async () => {
    const phone = '+14155550124';
    const known = await prisma.contact.create({ data: { workspaceId: env.workspaceId, name: 'Imported Ida', email: 'ida@example.com', phone } });
    const sms = await env.sms('Ida here', { from: phone });
    const t = await task(await env.taskOf(prisma, env.integrations.twilio, sms.providerMessageId));
    expect(t.contact).toEqual({ id: known.id, name: 'Imported Ida', email: 'ida@example.com', phone, slackUserId: null });
    expect(await contactsWith(env.workspaceId, { phone, email: 'ida@example.com' })).toHaveLength(1);
  });

  it('links a Slack id to the contact an earlier email created, keeping its name, and matches the id directly afterwards', async () => {
    const user = 'U0EMMAFRST';
    env.addSlackUser(user, { realName: 'Emma From Slack', email: 'Emma.First@Example.COM' });
    const mail = await env.email({ from: 'Emma First <emma.first@example.com>', subject: 'Billing', text: 'Emailing first' });
    expect(mail.status).toBe(200);
    const mailTask = await task(await env.taskOf(prisma, env.integrations.sendgrid, mail.providerMessageId));
    expect(mailTask.contact).toMatchObject({ name: 'Emma First', email: 'emma.first@example.com', slackUserId: null, phone: null });

    const first = await env.postSlack(env.slackMessage({ user, text: 'Now on Slack' }));
    const slackTask = await task(await env.taskOf(prisma, env.integrations.slack, first.providerMessageId));
    expect(slackTask.contact).toEqual({ ...mailTask.contact, slackUserId: user });
    expect(await contactsWith(env.workspaceId, { email: 'emma.first@example.com', slackUserId: user })).toHaveLength(1);
    expect(lookupsOf(user)).toHaveLength(1);

    // Known by Slack id now: matched as it is stored, without asking Slack again.
    const again = await env.postSlack(env.slackMessage({ user, text: 'Me again', threadTs: String(first.providerMessageId.split(':')[1]) }));
    const row = await prisma.message.findFirst({ where: { integrationId: env.integrations.slack, providerMessageId: again.providerMessageId } });
    expect(row?.contactId).toBe(mailTask.contact.id);
    expect(lookupsOf(user)).toHaveLength(1);
  });

  it('takes a WhatsApp profile name for a contact without one, but never replaces a name', async () => {
    const phone = '+14155550125';
    const sms = await env.sms('No name over SMS', { from: phone });
    const smsTask = await task(await env.taskOf(prisma, env.integrations.twilio, sms.providerMessageId));
    expect(smsTask.contact).toMatchObject({ phone, name: null });

    const named = await env.whatsapp('Now with a profile', { from: phone, profileName: 'Pat Profile' });
    const namedTask = await task(await env.taskOf(prisma, env.integrations.twilio, named.providerMessageId));
    expect(namedTask.contact).toMatchObject({ id: smsTask.contact.id, phone, name: 'Pat Profile' });

    const renamed = await env.whatsapp('Changed my profile name', { from: phone, profileName: 'Somebody Else' });
    expect(renamed.status).toBe(200);
    const row = await prisma.message.findFirst({ where: { integrationId: env.integrations.twilio, providerMessageId: renamed.providerMessageId } });
    expect(row?.contactId).toBe(smsTask.contact.id);
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: smsTask.contact.id } })).name).toBe('Pat Profile');

    // A name known from elsewhere (here: imported) is not replaced by a profile name either.
    const other = '+14155550126';
    const crm = await prisma.contact.create({ data: { workspaceId: env.workspaceId, name: 'Quinn From CRM', phone: other } });
    const wa = await env.whatsapp('Hi', { from: other, profileName: 'Q' });
    const waTask = await task(await env.taskOf(prisma, env.integrations.twilio, wa.providerMessageId));
    expect(waTask.contact).toMatchObject({ id: crm.id, name: 'Quinn From CRM' });
    expect(await contactsWith(env.workspaceId, { phone: other })).toHaveLength(1);
    expect(await contactsWith(env.workspaceId, { phone })).toHaveLength(1);
  });

  it('never shares a contact between workspaces: the same email in another workspace is another contact', async () => {
    const b = await env.addEmailWorkspace('Beta');
    const contactsInA = await prisma.contact.count({ where: { workspaceId: env.workspaceId } });
    const coraInA = await prisma.contact.findFirstOrThrow({ where: { workspaceId: env.workspaceId, email: 'cora@example.com' } });

    const mail = await b.email({ from: 'Cora <Cora@Example.com>', subject: 'Writing to Beta', text: 'Hello Beta' });
    expect(mail.status).toBe(200);
    const taskInB = await task(await env.taskOf(prisma, b.integrationId, mail.providerMessageId), b.admin.token);
    expect(taskInB.contact.id).not.toBe(coraInA.id);
    // B knows only what B was told: the email and the From name, not A's Slack id.
    expect(taskInB.contact).toMatchObject({ email: 'cora@example.com', name: 'Cora', slackUserId: null });
    expect((await prisma.contact.findUniqueOrThrow({ where: { id: taskInB.contact.id } })).workspaceId).toBe(b.admin.workspaceId);

    // A is untouched, and neither workspace sees the other's contact.
    expect(await prisma.contact.count({ where: { workspaceId: env.workspaceId } })).toBe(contactsInA);
    expect(await prisma.contact.findUniqueOrThrow({ where: { id: coraInA.id } })).toEqual(coraInA);
    const search = (token: string) => gqlOk<{ contacts: { edges: { node: { id: string } }[] } }>(env.t.url, 'query { contacts(search: "cora@example.com") { edges { node { id } } } }', {}, token);
    expect((await search(env.admin.token)).contacts.edges.map((e) => e.node.id)).toEqual([coraInA.id]);
    expect((await search(b.admin.token)).contacts.edges.map((e) => e.node.id)).toEqual([taskInB.contact.id]);
    const fromA = await gqlOk<{ task: TaskView | null }>(env.t.url, 'query($id: ID!) { task(id: $id) { id } }', { id: taskInB.id }, env.admin.token);
    expect(fromA.task).toBeNull();

    // Cora writing to A again still lands on A's contact.
    const again = await env.email({ from: 'cora@example.com', subject: 'Back to Acme', text: 'Hello Acme' });
    const taskInA = await task(await env.taskOf(prisma, env.integrations.sendgrid, again.providerMessageId));
    expect(taskInA.contact.id).toBe(coraInA.id);
  });
});
