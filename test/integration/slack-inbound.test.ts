// Slack inbound over the HTTP Events API: which events are taken (filters), and
// who wrote them (contact matching, users.info in a job, never in the request).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { messageChangedEvent, messageDeletedEvent } from '../fakes/slack/index.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { gql, gqlOk } from '../helpers/graphql.ts';
import { BOT_TOKEN, BOT_USER, DM, RANDOM, SUPPORT, TASK_FIELDS, TEAM, TEAMMATE, providerIdOf, startSlackEnv, taskIdOf, type SlackEnv } from '../helpers/slack.ts';
import { eventually, sleep } from '../helpers/wait.ts';

let env: SlackEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startSlackEnv();
  prisma = prismaFor(env.t.databaseUrl);
});

afterAll(async () => {
  await prisma.$disconnect();
  await env.stop();
});

type Ev = Record<string, unknown>;
const pid = providerIdOf;
const rowOf = (e: Ev) => prisma.message.findFirst({ where: { integrationId: env.integrationId, providerMessageId: pid(e) } });
const taskOf = (e: Ev) => taskIdOf(env, prisma, e);
const lookupsOf = (user: string) => env.slack.callsTo('users.info').filter((c) => c.params.user === user);
const task = async (id: string) => (await gqlOk<{ task: { contact: { id: string; name: string | null; email: string | null; slackUserId: string }; messages: { body: string }[] } }>(env.t.url, `query($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`, { id }, env.admin.token)).task;

let seq = 0;
function slackUser(email?: string): string {
  const id = `U0IN${String(++seq).padStart(5, '0')}`;
  env.slack.addUser(TEAM, { id, name: `u${seq}`, realName: `Person ${seq}`, email: email ?? `person${seq}@customers.test` });
  return id;
}

/** Posts each event, expects 200, and checks nothing was stored for it (storage happens before the acknowledgement). */
async function expectDropped(events: Ev[]): Promise<void> {
  for (const e of events) {
    expect((await env.post(e)).status).toBe(200);
    expect(await rowOf(e), `stored: ${JSON.stringify(e)}`).toBeNull();
  }
}

describe('Slack inbound: filters', () => {
  it('drops edits, deletions, joins, topic changes and bot messages, but takes file shares with their attachments', async () => {
    const user = slackUser();
    const original = env.message({ user, text: 'original text' });
    await env.post(original);
    expect(await rowOf(original)).not.toBeNull();
    await expectDropped([
      messageChangedEvent({ channel: SUPPORT, channelType: 'channel', previous: original, newText: 'edited text' }),
      messageDeletedEvent({ channel: SUPPORT, channelType: 'channel', deletedTs: String(original.ts) }),
      env.message({ user, subtype: 'channel_join', text: `<@${user}> has joined the channel` }),
      env.message({ user, subtype: 'channel_topic', text: 'set the channel topic: help' }),
      env.message({ user, subtype: 'bot_message', botId: 'B0OTHERBOT', text: 'Deploy finished' }),
    ]);
    const files = [{ id: 'F0SHOT0001', name: 'error.png', title: 'error', mimetype: 'image/png', filetype: 'png', size: 48213, url_private: 'https://files.slack.test/F0SHOT0001/error.png', permalink: 'https://acme.slack.test/files/U/F0SHOT0001/error.png' }];
    const share = env.message({ user, subtype: 'file_share', text: 'Here is the screenshot', files });
    expect((await env.post(share)).status).toBe(200);
    const row = await rowOf(share);
    expect(row?.body).toBe('Here is the screenshot');
    expect(row?.attachments).toEqual([{ name: 'error.png', contentType: 'image/png', size: 48213, url: 'https://acme.slack.test/files/U/F0SHOT0001/error.png', providerId: 'F0SHOT0001' }]);
    const taskId = await taskOf(share);
    expect(await taskOf(original)).toBe(taskId);
    expect((await task(taskId)).messages.map((m) => m.body)).toEqual(['original text', 'Here is the screenshot']);
  });

  it('takes a file shared without any text, titling its task "Attachment"', async () => {
    const e = env.message({ user: slackUser(), subtype: 'file_share', text: '', files: [{ id: 'F0ONLY0001', name: 'invoice.pdf', mimetype: 'application/pdf', size: 1200 }] });
    expect((await env.post(e)).status).toBe(200);
    expect((await rowOf(e))?.attachments).toEqual([{ name: 'invoice.pdf', contentType: 'application/pdf', size: 1200, url: null, providerId: 'F0ONLY0001' }]);
    const t = await gqlOk<{ task: { title: string } }>(env.t.url, 'query($id: ID!) { task(id: $id) { title } }', { id: await taskOf(e) }, env.admin.token);
    expect(t.task.title).toBe('Attachment');
  });

  it('drops messages from bots, from our own bot user and from teammates, without asking Slack who they are', async () => {
    const customer = slackUser();
    await expectDropped([
      env.message({ user: slackUser(), botId: 'B0OTHERBOT', text: 'I am an integration' }),
      env.message({ user: BOT_USER, text: 'A reply Parley posted' }),
      env.message({ user: TEAMMATE, text: 'Teammate chiming in' }),
      env.message({ user: TEAMMATE, text: 'Teammate in a DM', channel: DM, channelType: 'im' }),
    ]);
    const taken = env.message({ user: customer, text: 'A real customer' });
    await env.post(taken);
    await taskOf(taken);
    expect(lookupsOf(TEAMMATE)).toEqual([]);
    expect(lookupsOf(BOT_USER)).toEqual([]);
  });

  it('drops a teammate recognised by the email Slack gives for them', async () => {
    await gqlOk(env.t.url, 'mutation { addMember(name: "Max", email: "max@acme.test", password: "long enough password") { id } }', {}, env.admin.token);
    const max = slackUser('Max@Acme.test');
    const e = env.message({ user: max, text: 'Max, without a Slack id in Parley' });
    await env.post(e);
    await eventually(() => expect(lookupsOf(max)).toHaveLength(1), { timeoutMs: 15_000 });
    await eventually(async () => expect(await rowOf(e)).toBeNull(), { timeoutMs: 15_000 });
    expect(await prisma.contact.count({ where: { slackUserId: max } })).toBe(0);
  });

  it('takes only allowed users when the allowed list is not empty', async () => {
    const [allowed, other] = [slackUser(), slackUser()];
    const set = (ids: string[]) => gqlOk<{ setSlackAllowedUsers: { slackAllowedUserIds: string[] } }>(
      env.t.url, 'mutation($id: ID!, $u: [String!]!) { setSlackAllowedUsers(integrationId: $id, userIds: $u) { slackAllowedUserIds } }', { id: env.integrationId, u: ids }, env.admin.token,
    );
    expect((await set([allowed])).setSlackAllowedUsers.slackAllowedUserIds).toEqual([allowed]);
    await expectDropped([env.message({ user: other, text: 'not on the list' }), env.message({ user: other, text: 'not on the list, in a DM', channel: DM, channelType: 'im' })]);
    const ok = env.message({ user: allowed, text: 'on the list' });
    await env.post(ok);
    expect(await rowOf(ok)).not.toBeNull();
    expect((await set([])).setSlackAllowedUsers.slackAllowedUserIds).toEqual([]);
    const again = env.message({ user: other, text: 'everyone is taken again' });
    await env.post(again);
    expect(await rowOf(again)).not.toBeNull();
    await Promise.all([taskOf(ok), taskOf(again)]);
  });

  it('drops channels that are not monitored but always takes direct messages to the bot', async () => {
    const user = slackUser();
    await expectDropped([env.message({ user, channel: RANDOM, text: 'in #random' })]);
    const dm = env.message({ user, channel: DM, channelType: 'im', text: 'Hello bot, privately' });
    await env.post(dm);
    const t = await gqlOk<{ task: { conversation: { slackChannelId: string; slackChannelName: string; slackThreadTs: string } } }>(env.t.url, 'query($id: ID!) { task(id: $id) { conversation { slackChannelId slackChannelName slackThreadTs } } }', { id: await taskOf(dm) }, env.admin.token);
    expect(t.task.conversation).toEqual({ slackChannelId: DM, slackChannelName: 'Direct message', slackThreadTs: dm.ts });
  });
});

describe('Slack inbound: contacts', () => {
  it('matches an existing contact by Slack id without calling users.info', async () => {
    const user = slackUser();
    const contact = await prisma.contact.create({ data: { workspaceId: env.admin.workspaceId, slackUserId: user, name: 'Known Kim' } });
    const e = env.message({ user, text: 'Known already' });
    await env.post(e);
    expect((await rowOf(e))?.contactId).toBe(contact.id);
    expect((await task(await taskOf(e))).contact).toMatchObject({ id: contact.id, name: 'Known Kim', slackUserId: user });
    expect(lookupsOf(user)).toEqual([]);
  });

  it('links the Slack id to an existing contact with the same email, whatever its case, without a duplicate', async () => {
    const user = slackUser('Linda.Lee@Customers.TEST');
    const contact = await prisma.contact.create({ data: { workspaceId: env.admin.workspaceId, email: 'linda.lee@customers.test', name: 'Linda from the CRM' } });
    const e = env.message({ user, text: 'I emailed you before' });
    await env.post(e);
    const t = await task(await taskOf(e));
    expect(t.contact).toMatchObject({ id: contact.id, name: 'Linda from the CRM', email: 'linda.lee@customers.test', slackUserId: user });
    expect(await prisma.contact.count({ where: { OR: [{ email: { equals: 'linda.lee@customers.test', mode: 'insensitive' } }, { slackUserId: user }] } })).toBe(1);
    // Next time the Slack id matches directly.
    const again = env.message({ user, text: 'Me again', threadTs: String(e.ts) });
    await env.post(again);
    expect((await rowOf(again))?.contactId).toBe(contact.id);
    expect(lookupsOf(user)).toHaveLength(1);
  });

  it('creates a new contact with the name, email and Slack id from users.info', async () => {
    const user = slackUser('New.Person@Example.ORG');
    const e = env.message({ user, text: 'First time here' });
    await env.post(e);
    const t = await task(await taskOf(e));
    expect(t.contact).toMatchObject({ name: `Person ${seq}`, email: 'new.person@example.org', slackUserId: user });
    expect(await prisma.contact.count({ where: { slackUserId: user } })).toBe(1);
  });

  it('acknowledges before users.info runs: the message is stored without a contact, then completed in a job', async () => {
    env.slack.delay('users.info', 1500);
    try {
      const user = slackUser();
      const e = env.message({ user, text: 'Slow Slack today' });
      const started = Date.now();
      expect((await env.post(e)).status).toBe(200);
      const answeredAt = Date.now();
      expect(answeredAt - started).toBeLessThan(500);
      const row = await rowOf(e);
      expect(row).toMatchObject({ contactId: null, taskId: null, body: 'Slow Slack today' });
      const taskId = await taskOf(e);
      const [call] = lookupsOf(user);
      expect(call!.at).toBeGreaterThanOrEqual(answeredAt - 5);
      expect((await task(taskId)).contact.slackUserId).toBe(user);
    } finally {
      env.slack.delay('users.info', 0);
    }
  });

  it('keeps a new customer\'s burst in one task even when the look-up is slower than the quiet period', async () => {
    env.slack.delay('users.info', 1500);
    try {
      const user = slackUser();
      const burst = [env.message({ user, text: 'one' }), env.message({ user, text: 'two' }), env.message({ user, text: 'three' })];
      // 500 ms apart: one burst. The look-up job starts within ~0.5 s and takes 1.5 s, so the later
      // messages arrive while it runs, and their own look-up would end after the burst's quiet period.
      for (const [i, e] of burst.entries()) {
        if (i > 0) await sleep(500);
        await env.post(e);
      }
      const ids = await Promise.all(burst.map(taskOf));
      expect(new Set(ids).size).toBe(1);
      expect((await task(ids[0]!)).messages.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    } finally {
      env.slack.delay('users.info', 0);
    }
  });

  it('retries a failing users.info, and takes the bare Slack id once the message has waited too long', async () => {
    const user = slackUser();
    env.slack.failNext('users.info', { status: 503 }, 2);
    const e = env.message({ user, text: 'Slack is flaky' });
    await env.post(e);
    await eventually(() => expect(lookupsOf(user).map((c) => c.status)).toEqual([503]), { timeoutMs: 10_000 });
    expect((await rowOf(e))?.contactId).toBeNull();
    // The retry comes 2-4 s later; make the message look like it has waited 40 s already.
    await prisma.message.updateMany({ where: { providerMessageId: pid(e) }, data: { createdAt: new Date(Date.now() - 40_000) } });
    const t = await task(await taskOf(e));
    expect(lookupsOf(user).map((c) => c.status)).toEqual([503, 503]);
    expect(t.contact).toMatchObject({ slackUserId: user, name: null, email: null });
  });

  it('keeps the message when the bot token is revoked during users.info, and shows the integration in ERROR', async () => {
    const user = slackUser();
    env.slack.revokeToken(BOT_TOKEN);
    const e = env.message({ user, text: 'Anyone there?' });
    expect((await env.post(e)).status).toBe(200);
    const t = await task(await taskOf(e));
    expect(t.contact).toMatchObject({ slackUserId: user, name: null, email: null });
    expect(t.messages.map((m) => m.body)).toEqual(['Anyone there?']);
    expect(lookupsOf(user).map((c) => c.error)).toContain('invalid_auth');
    const res = await gql<{ integrations: { id: string; status: string; lastError: string | null }[] }>(env.t.url, '{ integrations { id status lastError } }', {}, env.admin.token);
    expect(res.data?.integrations).toEqual([{ id: env.integrationId, status: 'ERROR', lastError: expect.stringMatching(/invalid_auth.*reconnect/i) }]);
  });

  it('leaves every stored inbound message in exactly one task, with a contact', async () => {
    await eventually(async () => expect(await prisma.message.count({ where: { direction: 'INBOUND', OR: [{ taskId: null }, { contactId: null }] } })).toBe(0), { timeoutMs: 20_000 });
    const inbound = await prisma.message.findMany({ where: { direction: 'INBOUND' }, select: { id: true } });
    const inTasks = (await prisma.task.findMany({ include: { messages: { select: { id: true } } } })).flatMap((t) => t.messages.map((m) => m.id));
    expect(inbound.length).toBeGreaterThan(10);
    expect(inTasks.sort()).toEqual(inbound.map((m) => m.id).sort());
  });
});
