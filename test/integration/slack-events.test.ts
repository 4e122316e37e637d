// Slack over the HTTP Events API, end to end: signed webhooks (security and
// robustness), debounced bundling into tasks, threads, live subscriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature as ourSignature } from '../../server/src/channels/slack/verify.ts';
import type { PrismaClient } from '../../server/src/db.ts';
import { appMentionEvent, eventCallback, nextTs, postSignedEvent, urlVerification } from '../fakes/slack/index.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { collect, gqlOk, wsClient } from '../helpers/graphql.ts';
import { CUSTOMER, SIGNING_SECRET, SUPPORT, TASK_FIELDS, TEAM, providerIdOf, startSlackEnv, taskIdOf, type SlackEnv } from '../helpers/slack.ts';
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
const rowsOf = (e: Ev) => prisma.message.count({ where: { integrationId: env.integrationId, providerMessageId: pid(e) } });
const allMessages = () => prisma.message.count();
const now = () => Math.floor(Date.now() / 1000);

const taskOf = (e: Ev) => taskIdOf(env, prisma, e);

let seq = 0;
/** A Slack user who is already a contact (no users.info look-up, so timings are the debounce alone). */
async function knownCustomer(): Promise<string> {
  const id = `U0EVT${String(++seq).padStart(4, '0')}`;
  env.slack.addUser(TEAM, { id, name: `c${seq}`, realName: `Customer ${seq}`, email: `c${seq}@customers.test` });
  await prisma.contact.create({ data: { workspaceId: env.admin.workspaceId, slackUserId: id, name: `Customer ${seq}`, email: `c${seq}@customers.test` } });
  return id;
}

const taskQuery = `query($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;
type TaskView = { id: string; status: string; title: string; contact: { slackUserId: string }; conversation: { slackChannelId: string; slackChannelName: string; slackThreadTs: string }; messages: { body: string }[] };
const task = async (id: string) => (await gqlOk<{ task: TaskView }>(env.t.url, taskQuery, { id }, env.admin.token)).task;

describe('Slack Events API: webhook security and robustness', () => {
  it('matches the signing example from Slack\'s documentation', () => {
    const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(ourSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('refuses bad signatures, tampered bodies, missing headers and replays with 401, storing nothing', async () => {
    const before = await allMessages();
    const body = (e: Ev) => eventCallback({ teamId: TEAM, event: e });
    const refused: { status: number }[] = [];
    const e1 = env.message({ text: 'signed with the wrong secret' });
    refused.push(await postSignedEvent(env.webhookUrl, 'not-the-signing-secret', body(e1)));
    const e2 = env.message({ text: 'tampered after signing' });
    refused.push(await env.post(e2, { tamper: true }));
    const e3 = env.message({ text: 'no headers' });
    refused.push(await fetch(env.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body(e3)) }));
    const e4 = env.message({ text: 'signature but no timestamp' });
    const raw4 = JSON.stringify(body(e4));
    refused.push(await fetch(env.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-signature': ourSignature(SIGNING_SECRET, String(now()), raw4) }, body: raw4 }));
    const e5 = env.message({ text: 'six minutes old' });
    refused.push(await env.post(e5, { timestamp: now() - 360 }));
    const e6 = env.message({ text: 'six minutes ahead' });
    refused.push(await env.post(e6, { timestamp: now() + 360 }));
    refused.push(await postSignedEvent(env.webhookUrl, 'wrong', urlVerification('nope')));
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    for (const e of [e1, e2, e3, e4, e5, e6]) expect(await rowsOf(e)).toBe(0);
    expect(await allMessages()).toBe(before);
    // Inside the window (either way) is fine.
    const ok = [env.message({ text: 'four minutes old' }), env.message({ text: 'four minutes ahead' })];
    expect((await env.post(ok[0]!, { timestamp: now() - 240 })).status).toBe(200);
    expect((await env.post(ok[1]!, { timestamp: now() + 240 })).status).toBe(200);
    for (const e of ok) expect(await rowsOf(e)).toBe(1);
    await Promise.all(ok.map(taskOf));
  });

  it('answers url_verification with the challenge', async () => {
    const res = await postSignedEvent(env.webhookUrl, SIGNING_SECRET, urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'));
    expect(res).toMatchObject({ status: 200, text: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('acknowledges retries and the app_mention twin of a message without a second message or task', async () => {
    const user = await knownCustomer();
    const e = env.message({ user, text: `<@U0BOTUSER1> my export fails` });
    const eventId = 'Ev0RETRY00001';
    expect((await env.post(e, { eventId })).status).toBe(200);
    expect((await env.post(e, { eventId, retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    const mention = appMentionEvent({ channel: SUPPORT, user, ts: String(e.ts), text: String(e.text) });
    expect((await env.post(mention)).status).toBe(200);
    expect(await rowsOf(e)).toBe(1);
    const taskId = await taskOf(e);
    // A late retry after the task exists changes nothing either.
    expect((await env.post(e, { eventId, retryNum: 2 })).status).toBe(200);
    expect(await rowsOf(e)).toBe(1);
    const contact = await prisma.contact.findFirstOrThrow({ where: { slackUserId: user } });
    expect(await prisma.task.findMany({ where: { contactId: contact.id }, select: { id: true } })).toEqual([{ id: taskId }]);
    expect((await task(taskId)).messages.map((m) => m.body)).toEqual(['@U0BOTUSER1 my export fails']);
  });

  it('answers 404 for unknown integrations, 400 for malformed bodies and 413 for bodies over 1 MB', async () => {
    const before = await allMessages();
    const e = env.message({ text: 'to nowhere' });
    const unknown = await postSignedEvent(`${env.t.url}/webhooks/slack/0190f3b4-0000-7000-8000-000000000000`, SIGNING_SECRET, eventCallback({ teamId: TEAM, event: e }));
    expect(unknown.status).toBe(404);
    expect((await postSignedEvent(`${env.t.url}/webhooks/slack/not-a-uuid`, SIGNING_SECRET, eventCallback({ teamId: TEAM, event: e }))).status).toBe(404);
    expect((await postSignedEvent(`${env.t.url}/webhooks/nosuchprovider/${env.integrationId}`, SIGNING_SECRET, eventCallback({ teamId: TEAM, event: e }))).status).toBe(404);
    expect((await postSignedEvent(env.webhookUrl, SIGNING_SECRET, '{"type":"event_callback","team_id":')).status).toBe(400);
    expect((await postSignedEvent(env.webhookUrl, SIGNING_SECRET, { type: 'event_callback', team_id: TEAM })).status).toBe(400);
    const big = env.message({ text: 'x'.repeat(1024 * 1024 + 10) });
    expect((await env.post(big)).status).toBe(413);
    // Streamed without a Content-Length, too.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => (sent++ < 20 ? c.enqueue(chunk) : c.close()) });
    const streamed = await fetch(env.webhookUrl, { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await rowsOf(big)).toBe(0);
    expect(await allMessages()).toBe(before);
  });

  it('drops (and acknowledges) an event from another Slack workspace', async () => {
    const e = env.message({ text: 'from a stranger workspace' });
    const res = await postSignedEvent(env.webhookUrl, SIGNING_SECRET, eventCallback({ teamId: 'T0STRANGER', event: { ...e, team: 'T0STRANGER' } }));
    expect(res.status).toBe(200);
    expect(await rowsOf(e)).toBe(0);
  });
});

describe('Slack Events API: bundling into tasks', () => {
  it('turns a burst of messages into one task after the quiet period, published live', async () => {
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const sub = collect<{ taskCreated: { id: string; title: string; messages: { body: string }[] } }>(client, `subscription { taskCreated { ${TASK_FIELDS} } }`);
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(1));
    const burst = ['Hi, our invoices page is blank', 'It started this morning', 'Can you help?'].map((text) => env.message({ text }));
    for (const e of burst) expect((await env.post(e)).status).toBe(200);
    await eventually(() => expect(sub.events.map((e) => e.taskCreated.title)).toContain('Hi, our invoices page is blank'), { timeoutMs: 20_000 });
    const created = sub.events.find((e) => e.taskCreated.title === 'Hi, our invoices page is blank')!.taskCreated;
    expect(created).toMatchObject({
      status: 'OPEN', channel: 'SLACK',
      contact: { name: 'Cora Customer', email: 'cora@example.com', slackUserId: CUSTOMER },
      conversation: { channel: 'SLACK', slackChannelId: SUPPORT, slackChannelName: 'support', slackThreadTs: burst[0]!.ts, integration: { id: env.integrationId } },
    });
    expect(created.messages.map((m) => m.body)).toEqual(['Hi, our invoices page is blank', 'It started this morning', 'Can you help?']);
    sub.stop();
    await client.dispose();
  });

  it('restarts the quiet period with every message: messages 600 ms apart make one task', async () => {
    const user = await knownCustomer();
    const burst = [1, 2, 3, 4].map((i) => env.message({ user, text: `part ${i}` }));
    for (const [i, e] of burst.entries()) {
      if (i > 0) await sleep(600);
      expect((await env.post(e)).status).toBe(200);
    }
    const ids = await Promise.all(burst.map(taskOf));
    expect(new Set(ids).size).toBe(1);
    expect((await task(ids[0]!)).messages.map((m) => m.body)).toEqual(['part 1', 'part 2', 'part 3', 'part 4']);
  });

  it('makes one task per customer in the same channel, and separates a top-level burst from a thread', async () => {
    const [a, b] = [await knownCustomer(), await knownCustomer()];
    const elsewhere = nextTs(); // some earlier message the customer replies under
    const events = [
      env.message({ user: a, text: 'A: top 1' }), env.message({ user: b, text: 'B: top 1' }),
      env.message({ user: a, text: 'A: in a thread', threadTs: elsewhere }), env.message({ user: a, text: 'A: top 2' }),
      env.message({ user: b, text: 'B: top 2' }),
    ];
    for (const e of events) expect((await env.post(e)).status).toBe(200);
    const [aTop, bTop, aThread, aTop2, bTop2] = await Promise.all(events.map(taskOf));
    expect(aTop2).toBe(aTop);
    expect(bTop2).toBe(bTop);
    expect(new Set([aTop, bTop, aThread]).size).toBe(3);
    expect(await task(aTop!)).toMatchObject({ contact: { slackUserId: a }, conversation: { slackThreadTs: events[0]!.ts }, messages: [{ body: 'A: top 1' }, { body: 'A: top 2' }] });
    expect(await task(bTop!)).toMatchObject({ contact: { slackUserId: b }, conversation: { slackThreadTs: events[1]!.ts }, messages: [{ body: 'B: top 1' }, { body: 'B: top 2' }] });
    expect(await task(aThread!)).toMatchObject({ title: 'A: in a thread', conversation: { slackChannelId: SUPPORT, slackThreadTs: elsewhere }, messages: [{ body: 'A: in a thread' }] });
  });

  it('makes one task of a burst and a reply under its first message sent before the quiet period ended', async () => {
    const user = await knownCustomer();
    const m1 = env.message({ user, text: 'Billing question' });
    const m2 = env.message({ user, text: 'About last month' });
    const m3 = env.message({ user, text: 'Adding details in the thread', threadTs: String(m1.ts) });
    for (const e of [m1, m2, m3]) await env.post(e);
    const ids = await Promise.all([m1, m2, m3].map(taskOf));
    expect(new Set(ids).size).toBe(1);
    expect(await task(ids[0]!)).toMatchObject({ title: 'Billing question', conversation: { slackThreadTs: m1.ts } });
    expect((await task(ids[0]!)).messages.map((m) => m.body).sort()).toEqual(['About last month', 'Adding details in the thread', 'Billing question']);
  });

  it('appends a reply in the thread of an OPEN task to it, and opens a new task once it is DONE', async () => {
    const user = await knownCustomer();
    const first = env.message({ user, text: 'Where is my refund?' });
    await env.post(first);
    const taskId = await taskOf(first);
    const threadTs = (await task(taskId)).conversation.slackThreadTs;
    expect(threadTs).toBe(first.ts);

    const client = wsClient(env.t.wsUrl, env.admin.token);
    const created = collect<{ taskCreated: { id: string } }>(client, 'subscription { taskCreated { id } }');
    const updated = collect<{ taskUpdated: { id: string; messages: { body: string }[] } }>(client, 'subscription { taskUpdated { id messages { body } } }');
    const msgs = collect<{ messageUpdated: { id: string; body: string } }>(client, `subscription($t: ID) { messageUpdated(taskId: $t) { id body } }`, { t: taskId });
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(3));

    const reply = env.message({ user, text: 'Order #1234, paid last week', threadTs });
    expect((await env.post(reply)).status).toBe(200);
    await eventually(() => expect(updated.events.some((e) => e.taskUpdated.id === taskId && e.taskUpdated.messages.some((m) => m.body === 'Order #1234, paid last week'))).toBe(true), { timeoutMs: 15_000 });
    await eventually(() => expect(msgs.events.map((e) => e.messageUpdated.body)).toContain('Order #1234, paid last week'));
    expect(await taskOf(reply)).toBe(taskId);
    await sleep(2500); // longer than the quiet period: a wrongly armed bundle would have made a task by now
    expect(created.events).toEqual([]);
    expect((await task(taskId)).messages.map((m) => m.body)).toEqual(['Where is my refund?', 'Order #1234, paid last week']);

    await gqlOk(env.t.url, 'mutation($id: ID!) { setTaskStatus(taskId: $id, status: DONE) { id } }', { id: taskId }, env.admin.token);
    const later = env.message({ user, text: 'It came back again', threadTs });
    await env.post(later);
    await eventually(() => expect(created.events).toHaveLength(1), { timeoutMs: 20_000 });
    const second = created.events[0]!.taskCreated.id;
    expect(second).not.toBe(taskId);
    expect(await taskOf(later)).toBe(second);
    expect(await task(second)).toMatchObject({ status: 'OPEN', title: 'It came back again', conversation: { slackThreadTs: threadTs }, messages: [{ body: 'It came back again' }] });
    expect(await task(taskId)).toMatchObject({ status: 'DONE', messages: [{ body: 'Where is my refund?' }, { body: 'Order #1234, paid last week' }] });
    for (const s of [created, updated, msgs]) s.stop();
    await client.dispose();
  });

  it('titles a task with the first line of its first message, shortened with an ellipsis', async () => {
    const [u1, u2] = [await knownCustomer(), await knownCustomer()];
    const multi = env.message({ user: u1, text: '\n   Login broken on Safari  \nsteps: open the page, click sign in' });
    const long = 'Our nightly export to the data warehouse has been failing since Tuesday with a timeout and the whole finance team is blocked by it';
    const longEvent = env.message({ user: u2, text: long });
    await env.post(multi);
    await env.post(longEvent);
    expect((await task(await taskOf(multi))).title).toBe('Login broken on Safari');
    const title = (await task(await taskOf(longEvent))).title;
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title.endsWith('…')).toBe(true);
    expect(long.startsWith(title.slice(0, -1).trimEnd())).toBe(true);
    expect(title.length).toBeGreaterThan(60);
  });

  it('never puts an inbound message in two tasks, nor leaves one out', async () => {
    await eventually(async () => expect(await prisma.message.count({ where: { direction: 'INBOUND', taskId: null } })).toBe(0), { timeoutMs: 20_000 });
    const inbound = await prisma.message.findMany({ where: { direction: 'INBOUND' }, select: { id: true, taskId: true, providerMessageId: true } });
    const tasks = await prisma.task.findMany({ include: { messages: { select: { id: true } } } });
    const inTasks = tasks.flatMap((t) => t.messages.map((m) => m.id));
    expect(inTasks).toHaveLength(inbound.length);
    expect(new Set(inTasks).size).toBe(inbound.length);
    expect(new Set(inbound.map((m) => m.providerMessageId)).size).toBe(inbound.length);
  });
});

describe('Slack Events API: disconnecting', () => {
  it('answers 410 once the integration is disconnected; its webhook URL and secrets are gone', async () => {
    expect(await prisma.credential.count({ where: { integrationId: env.integrationId } })).toBeGreaterThan(0);
    const res = await gqlOk<{ disconnectIntegration: { status: string; webhookUrl: string | null } }>(
      env.t.url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { status webhookUrl } }', { id: env.integrationId }, env.admin.token,
    );
    expect(res.disconnectIntegration).toEqual({ status: 'DISCONNECTED', webhookUrl: null });
    const listed = await gqlOk<{ integrations: { id: string; status: string; webhookUrl: string | null }[] }>(env.t.url, '{ integrations { id status webhookUrl } }', {}, env.admin.token);
    expect(listed.integrations).toEqual([{ id: env.integrationId, status: 'DISCONNECTED', webhookUrl: null }]);
    expect(await prisma.credential.count({ where: { integrationId: env.integrationId } })).toBe(0);
    const before = await allMessages();
    const e = env.message({ text: 'anyone there?' });
    expect((await env.post(e)).status).toBe(410);
    expect((await postSignedEvent(env.webhookUrl, SIGNING_SECRET, urlVerification('c'))).status).toBe(410);
    expect(await allMessages()).toBe(before);
  });
});
