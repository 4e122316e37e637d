// Replies to SMS and WhatsApp conversations, end to end: replyToTask over
// HTTP, delivery by the job through messages.create on the fake Twilio, status
// callbacks (signed, never moving backwards), live status over graphql-ws, the
// error paths (permanent errors, rate limits, 5xx, rejected credentials), and
// crash safety (a response lost after Twilio took the message: findSent).
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { inboundSms, nextMessageSid, postTwilioWebhook, randomSid, statusCallbackParams, type SentMessage } from '../fakes/twilio/index.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { collect, errorCode, gql, gqlOk, wsClient } from '../helpers/graphql.ts';
import { ACCOUNT_SID, AUTH_TOKEN, SMS_NUMBER, WHATSAPP_NUMBER, startTwilioEnv, taskOfProviderMessage, type TwilioEnv } from '../helpers/twilio.ts';
import { eventually, sleep } from '../helpers/wait.ts';

let env: TwilioEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startTwilioEnv({ env: { DELIVERY_BACKOFF_SECONDS: '0.2' } });
  prisma = prismaFor(env.t.databaseUrl);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.stop();
});

/** Ends the subscriptions and the client, and waits until the server has let go of them (so the next test counts only its own). */
async function closeWs(client: { dispose(): void | Promise<void> }, ...subs: { stop(): void }[]): Promise<void> {
  for (const sub of subs) sub.stop();
  await client.dispose();
  await eventually(() => expect(env.t.app.events.subscriberCount).toBe(0));
}

interface Reply {
  id: string;
  status: string;
  direction: string;
  body: string;
  error: string | null;
  errorCode: string | null;
  author: { id: string } | null;
}
const REPLY_FIELDS = 'id status direction body error errorCode author { id }';

let phones = 0;
const newPhone = () => `+1415555${String(3000 + ++phones).padStart(4, '0')}`;

/** A customer message (SMS or WhatsApp) from a new number, and the task it became. */
async function openTask(channel: 'SMS' | 'WHATSAPP' = 'SMS', body = 'Hello, I need help'): Promise<{ taskId: string; phone: string }> {
  const phone = newPhone();
  const res = channel === 'SMS' ? await env.sms(body, { from: phone }) : await env.whatsapp(body, { from: phone, profileName: 'Customer' });
  expect(res.status).toBe(200);
  return { taskId: await taskOfProviderMessage(prisma, env.integrationId, res.messageSid), phone };
}

const reply = (taskId: string, body: string) =>
  gql<{ replyToTask: Reply }>(env.t.url, `mutation($t: ID!, $b: String!) { replyToTask(taskId: $t, body: $b) { ${REPLY_FIELDS} } }`, { t: taskId, b: body }, env.admin.token);

async function replyOk(taskId: string, body: string): Promise<Reply> {
  const res = await reply(taskId, body);
  expect(res.errors).toBeUndefined();
  expect(res.data!.replyToTask).toMatchObject({ status: 'QUEUED', direction: 'OUTBOUND' });
  return res.data!.replyToTask;
}

async function messageOf(taskId: string, messageId: string): Promise<Reply> {
  const data = await gqlOk<{ task: { messages: Reply[] } }>(env.t.url, `query($id: ID!) { task(id: $id) { messages { ${REPLY_FIELDS} } } }`, { id: taskId }, env.admin.token);
  return data.task.messages.find((m) => m.id === messageId)!;
}

/** Waits until the message has this status (as the API shows it). */
const reaches = (taskId: string, messageId: string, status: string | RegExp, timeoutMs = 20_000) =>
  eventually(async () => {
    const m = await messageOf(taskId, messageId);
    if (typeof status === 'string') expect(m.status).toBe(status);
    else expect(m.status).toMatch(status);
    return m;
  }, { timeoutMs, intervalMs: 100 });

/** messages.create calls that carried this reply (its id is in the StatusCallback), whatever their outcome. */
const createCalls = (messageId: string) => env.twilio.calls.filter((c) => c.op === 'messages.create' && String(c.params.StatusCallback ?? '').includes(messageId));
/** Messages Twilio accepted for this reply. */
const acceptedFor = (messageId: string): SentMessage[] => env.twilio.sent.filter((m) => m.statusCallback?.includes(messageId));
const listCalls = () => env.twilio.calls.filter((c) => c.op === 'messages.list');
const statusUrl = (messageId: string) => `${env.webhookUrl}/status?message=${messageId}`;

async function integrationState() {
  const data = await gqlOk<{ integrations: { id: string; status: string; lastError: string | null }[] }>(env.t.url, '{ integrations { id status lastError } }', {}, env.admin.token);
  return data.integrations.find((i) => i.id === env.integrationId)!;
}

describe('replying to SMS and WhatsApp tasks', () => {
  it('sends an SMS reply from our number to the customer with a status callback, and follows its status live', async () => {
    const { taskId, phone } = await openTask('SMS', 'Is my order shipped?');
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const updates = collect<{ messageUpdated: Reply }>(client, `subscription($t: ID) { messageUpdated(taskId: $t) { ${REPLY_FIELDS} } }`, { t: taskId });
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(1));

    const queued = await replyOk(taskId, '  It ships tomorrow.  ');
    expect(queued).toMatchObject({ body: 'It ships tomorrow.', error: null, author: { id: env.admin.memberId } });
    const sent = await reaches(taskId, queued.id, 'SENT');
    expect(sent.error).toBeNull();

    const accepted = acceptedFor(queued.id);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ accountSid: ACCOUNT_SID, from: SMS_NUMBER, to: phone, body: 'It ships tomorrow.', statusCallback: statusUrl(queued.id) });
    expect(createCalls(queued.id)).toEqual([expect.objectContaining({ method: 'POST', accountSid: ACCOUNT_SID, status: 201, params: expect.objectContaining({ From: SMS_NUMBER, To: phone, Body: 'It ships tomorrow.', StatusCallback: statusUrl(queued.id) }) })]);
    const row = await prisma.message.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ providerMessageId: accepted[0]!.sid, deliveryAttempts: 1, channel: 'SMS' });
    expect(row.sentAt).not.toBeNull();

    // Twilio's own "sent" changes nothing; "delivered" does; a late "sent" does not move it back.
    expect((await env.twilio.sendStatus(accepted[0]!.sid, 'sent')).status).toBe(204);
    expect((await env.twilio.sendStatus(accepted[0]!.sid, 'delivered')).status).toBe(204);
    expect((await messageOf(taskId, queued.id)).status).toBe('DELIVERED');
    expect((await env.twilio.sendStatus(accepted[0]!.sid, 'sent')).status).toBe(204);
    expect((await env.twilio.sendStatus(accepted[0]!.sid, 'queued')).status).toBe(204);
    expect(await messageOf(taskId, queued.id)).toMatchObject({ status: 'DELIVERED', error: null, errorCode: null });

    await eventually(() => expect(updates.events.map((e) => e.messageUpdated).filter((m) => m.id === queued.id).map((m) => m.status)).toContain('DELIVERED'));
    await sleep(500);
    expect(updates.events.map((e) => e.messageUpdated).filter((m) => m.id === queued.id).map((m) => m.status)).toEqual(['QUEUED', 'SENT', 'DELIVERED']);
    expect(updates.errors).toEqual([]);
    await closeWs(client, updates);
  });

  it('sends a WhatsApp reply between whatsapp: addresses, and follows it to READ', async () => {
    const { taskId, phone } = await openTask('WHATSAPP', '¿Puedo pagar en efectivo?');
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const updates = collect<{ messageUpdated: Reply }>(client, `subscription($t: ID) { messageUpdated(taskId: $t) { ${REPLY_FIELDS} } }`, { t: taskId });
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(1));
    const queued = await replyOk(taskId, 'Sí, al recibir el pedido.');
    await reaches(taskId, queued.id, 'SENT');
    const [accepted] = acceptedFor(queued.id);
    expect(accepted).toMatchObject({ from: `whatsapp:${WHATSAPP_NUMBER}`, to: `whatsapp:${phone}`, body: 'Sí, al recibir el pedido.', statusCallback: statusUrl(queued.id) });
    expect(acceptedFor(queued.id)).toHaveLength(1);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: queued.id } })).channel).toBe('WHATSAPP');

    expect((await env.twilio.sendStatus(accepted!.sid, 'delivered')).status).toBe(204);
    expect((await env.twilio.sendStatus(accepted!.sid, 'read')).status).toBe(204);
    expect((await env.twilio.sendStatus(accepted!.sid, 'delivered')).status).toBe(204);
    expect((await messageOf(taskId, queued.id)).status).toBe('READ');
    await eventually(() => expect(updates.events.map((e) => e.messageUpdated).filter((m) => m.id === queued.id).map((m) => m.status)).toEqual(['QUEUED', 'SENT', 'DELIVERED', 'READ']));
    await sleep(300);
    expect(updates.events.map((e) => e.messageUpdated).filter((m) => m.id === queued.id).map((m) => m.status)).toEqual(['QUEUED', 'SENT', 'DELIVERED', 'READ']);
    await closeWs(client, updates);
  });

  it('replies from the number the customer wrote to, even one not set in Parley', async () => {
    const other = '+15550003333';
    const account = env.twilio.account(ACCOUNT_SID);
    account.numbers.push(other);
    try {
      const phone = newPhone();
      const sid = nextMessageSid();
      expect((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, inboundSms({ accountSid: ACCOUNT_SID, from: phone, to: other, body: 'Texting your other line', messageSid: sid }))).status).toBe(200);
      const taskId = await taskOfProviderMessage(prisma, env.integrationId, sid);
      const queued = await replyOk(taskId, 'Answering from that line');
      await reaches(taskId, queued.id, 'SENT');
      expect(acceptedFor(queued.id)).toEqual([expect.objectContaining({ from: other, to: phone })]);
    } finally {
      account.numbers.splice(account.numbers.indexOf(other), 1);
    }
  });

  it('marks an undelivered reply FAILED with Twilio\'s error code and a readable reason, for good', async () => {
    const { taskId } = await openTask('SMS', 'Please call me back');
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const updates = collect<{ messageUpdated: Reply }>(client, `subscription($t: ID) { messageUpdated(taskId: $t) { ${REPLY_FIELDS} } }`, { t: taskId });
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(1));
    const queued = await replyOk(taskId, 'We tried to reach you');
    await reaches(taskId, queued.id, 'SENT');
    const sid = acceptedFor(queued.id)[0]!.sid;
    expect((await env.twilio.sendStatus(sid, 'undelivered', { errorCode: '30003' })).status).toBe(204);
    const failed = await messageOf(taskId, queued.id);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: '30003', error: expect.stringMatching(/unreachable/i) });
    expect(failed.error).toMatch(/30003/);
    await eventually(() => expect(updates.events.map((e) => e.messageUpdated)).toContainEqual(expect.objectContaining({ id: queued.id, status: 'FAILED', errorCode: '30003' })));
    // Nothing brings it back.
    for (const late of ['sent', 'delivered', 'read'] as const) expect((await env.twilio.sendStatus(sid, late)).status).toBe(204);
    expect(await messageOf(taskId, queued.id)).toMatchObject({ status: 'FAILED', errorCode: '30003', error: failed.error });
    await closeWs(client, updates);
  });

  it('refuses status callbacks that are not Twilio\'s own, leaving the status as it was', async () => {
    const { taskId } = await openTask('SMS', 'Status forgery test');
    const queued = await replyOk(taskId, 'A reply to be forged about');
    await reaches(taskId, queued.id, 'SENT');
    const message = acceptedFor(queued.id)[0]!;
    expect((await env.twilio.sendStatus(message.sid, 'undelivered', { errorCode: '30003', badSignature: true })).status).toBe(403);
    // Signed with the token, but over another message's callback URL.
    const other = await replyOk(taskId, 'Another reply');
    await reaches(taskId, other.id, 'SENT');
    expect((await env.twilio.sendStatus(message.sid, 'failed', { url: statusUrl(queued.id), signatureUrl: statusUrl(other.id) })).status).toBe(403);
    // Correctly signed, for another Twilio account.
    const foreign = statusCallbackParams({ ...message, accountSid: randomSid('AC') }, 'failed', { errorCode: '30007' });
    expect((await postTwilioWebhook(statusUrl(queued.id), AUTH_TOKEN, foreign)).status).toBe(403);
    // No signature at all.
    const unsigned = await fetch(statusUrl(queued.id), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(statusCallbackParams(message, 'failed')).toString() });
    expect(unsigned.status).toBe(403);
    expect(await messageOf(taskId, queued.id)).toMatchObject({ status: 'SENT', error: null, errorCode: null });
    expect((await messageOf(taskId, other.id)).status).toBe('SENT');
    // A callback about a message Parley does not know is acknowledged and changes nothing.
    expect((await postTwilioWebhook(`${env.webhookUrl}/status`, AUTH_TOKEN, statusCallbackParams({ ...message, sid: nextMessageSid() }, 'delivered'))).status).toBe(204);
    expect((await messageOf(taskId, queued.id)).status).toBe('SENT');
  });

  it('refuses a reply longer than Twilio takes (1600 characters) at replyToTask, storing and sending nothing', async () => {
    const { taskId } = await openTask('SMS', 'Send me the full terms please');
    const before = await prisma.message.count({ where: { taskId } });
    const creates = env.twilio.calls.filter((c) => c.op === 'messages.create').length;
    const res = await reply(taskId, 'x'.repeat(1601));
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('body');
    expect(res.errors?.[0]?.message).toMatch(/1600/);
    const wa = await openTask('WHATSAPP', 'And on WhatsApp?');
    expect(errorCode(await reply(wa.taskId, 'y'.repeat(1601)))).toBe('BAD_USER_INPUT');
    await sleep(1_000);
    expect(await prisma.message.count({ where: { taskId } })).toBe(before);
    expect(await prisma.message.count({ where: { taskId: wa.taskId, direction: 'OUTBOUND' } })).toBe(0);
    expect(env.twilio.calls.filter((c) => c.op === 'messages.create').length).toBe(creates);
    // Exactly 1600 goes through, in one message.
    const longest = await replyOk(taskId, 'z'.repeat(1600));
    await reaches(taskId, longest.id, 'SENT');
    expect(acceptedFor(longest.id).map((m) => m.body.length)).toEqual([1600]);
  });
});

describe('delivery errors', () => {
  it.each([
    ['21211', { status: 400, code: 21211, message: "The 'To' number +14155550000 is not a valid phone number." }, /not a valid phone number/],
    ['21610', { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }, /STOP/],
  ])('a permanent error (%s) fails the reply after exactly one attempt', async (code, failure, readable) => {
    const { taskId } = await openTask('SMS', `Question before ${code}`);
    env.twilio.failNext('messages.create', failure);
    const queued = await replyOk(taskId, `This will not arrive (${code})`);
    const failed = await reaches(taskId, queued.id, 'FAILED');
    expect(failed).toMatchObject({ errorCode: code, error: expect.stringMatching(readable) });
    await sleep(2_000); // longer than a retry would wait
    expect(createCalls(queued.id).map((c) => c.status)).toEqual([400]);
    expect(acceptedFor(queued.id)).toHaveLength(0);
    expect(await integrationState()).toMatchObject({ status: 'CONNECTED', lastError: null });
  });

  it('a customer number Twilio refuses fails the reply after exactly one attempt', async () => {
    const { taskId } = await openTask('SMS', 'My number is odd');
    await prisma.task.update({ where: { id: taskId }, data: { address: '+0441234567' } });
    const queued = await replyOk(taskId, 'Trying to answer');
    const failed = await reaches(taskId, queued.id, 'FAILED');
    expect(failed).toMatchObject({ errorCode: '21211', error: expect.stringMatching(/not a valid phone number/) });
    await sleep(2_000);
    expect(createCalls(queued.id)).toEqual([expect.objectContaining({ status: 400, params: expect.objectContaining({ To: '+0441234567' }) })]);
    expect(acceptedFor(queued.id)).toHaveLength(0);
  });

  it('retries a 429 with backoff and then sends exactly once', async () => {
    const { taskId } = await openTask('SMS', 'Rate limit me');
    env.twilio.failNext('messages.create', { status: 429 });
    const queued = await replyOk(taskId, 'After the rate limit');
    const sent = await reaches(taskId, queued.id, 'SENT');
    expect(sent.error).toBeNull();
    const calls = createCalls(queued.id);
    expect(calls.map((c) => c.status)).toEqual([429, 201]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(150);
    expect(acceptedFor(queued.id)).toHaveLength(1);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: queued.id } })).providerMessageId).toBe(acceptedFor(queued.id)[0]!.sid);
  });

  it('retries 5xx answers with growing backoff and then sends exactly once', async () => {
    const { taskId } = await openTask('WHATSAPP', 'Twilio is having a bad day');
    env.twilio.failNext('messages.create', { status: 500 });
    env.twilio.failNext('messages.create', { status: 503 });
    const queued = await replyOk(taskId, 'Third time lucky');
    const sent = await reaches(taskId, queued.id, 'SENT', 30_000);
    expect(sent).toMatchObject({ error: null, errorCode: null });
    const calls = createCalls(queued.id);
    expect(calls.map((c) => c.status)).toEqual([500, 503, 201]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(150);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(150);
    expect(acceptedFor(queued.id)).toHaveLength(1);
    const row = await prisma.message.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ providerMessageId: acceptedFor(queued.id)[0]!.sid, deliveryAttempts: 3, error: null, status: 'SENT' });
  });

  it('rejected credentials (401 / 20003) fail the reply and mark the integration ERROR; a later success marks it CONNECTED', async () => {
    const { taskId } = await openTask('SMS', 'Token trouble ahead');
    const account = env.twilio.account(ACCOUNT_SID);
    account.authToken = 'rotated-in-the-twilio-console';
    let failed: Reply;
    try {
      const queued = await replyOk(taskId, 'Rejected reply');
      failed = await reaches(taskId, queued.id, 'FAILED');
      expect(failed).toMatchObject({ errorCode: '20003', error: expect.stringMatching(/rejected the Account SID and auth token/) });
      await sleep(1_500);
      expect(createCalls(queued.id).map((c) => c.status)).toEqual([401]);
      expect(await integrationState()).toMatchObject({ status: 'ERROR', lastError: expect.stringMatching(/rejected the Account SID and auth token/) });
    } finally {
      account.authToken = AUTH_TOKEN;
    }
    // The same through an injected 401.
    env.twilio.failNext('messages.create', { status: 401 });
    const again = await replyOk(taskId, 'Rejected again');
    expect(await reaches(taskId, again.id, 'FAILED')).toMatchObject({ errorCode: '20003' });
    expect(createCalls(again.id)).toHaveLength(1);

    const ok = await replyOk(taskId, 'Working again');
    await reaches(taskId, ok.id, 'SENT');
    await eventually(async () => expect(await integrationState()).toMatchObject({ status: 'CONNECTED', lastError: null }));
  });
});

describe('crash safety: a response lost after Twilio took the message', () => {
  it('finds the message Twilio accepted instead of sending it again', async () => {
    const { taskId, phone } = await openTask('SMS', 'Network cut ahead');
    const listsBefore = listCalls().length;
    env.twilio.failNext('messages.create', { status: 500, lostResponse: true });
    const queued = await replyOk(taskId, 'Sent exactly once');
    const sent = await reaches(taskId, queued.id, 'SENT', 30_000);
    expect(sent.error).toBeNull();
    expect(createCalls(queued.id).map((c) => c.status)).toEqual([0]); // the connection was cut before the answer
    const accepted = acceptedFor(queued.id);
    expect(accepted).toHaveLength(1);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: queued.id } })).providerMessageId).toBe(accepted[0]!.sid);
    // It asked Twilio for the messages between the two numbers.
    const lists = listCalls().slice(listsBefore);
    expect(lists.length).toBeGreaterThanOrEqual(1);
    expect(lists[0]).toMatchObject({ method: 'GET', accountSid: ACCOUNT_SID, status: 200, params: expect.objectContaining({ From: SMS_NUMBER, To: phone }) });
    await sleep(2_000);
    expect(acceptedFor(queued.id)).toHaveLength(1);
    expect((await messageOf(taskId, queued.id)).status).toBe('SENT');
  });

  it('finds it once Twilio has sent it, too (WhatsApp)', async () => {
    const { taskId } = await openTask('WHATSAPP', 'Network cut on WhatsApp');
    env.twilio.failNext('messages.create', { status: 500, lostResponse: true });
    const queued = await replyOk(taskId, 'Also exactly once');
    // Twilio sends it on before the retry comes (its callback is lost too).
    const accepted = await eventually(() => {
      const [m] = acceptedFor(queued.id);
      expect(m).toBeDefined();
      return m!;
    });
    env.twilio.updateStatus(accepted.sid, 'sent');
    await reaches(taskId, queued.id, 'SENT', 30_000);
    await sleep(1_500);
    expect(acceptedFor(queued.id)).toHaveLength(1);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: queued.id } })).providerMessageId).toBe(accepted.sid);
  });

  it('retries a failed look-up as a look-up, not as a second message', async () => {
    const { taskId } = await openTask('SMS', 'Network cut, then Twilio errors');
    env.twilio.failNext('messages.create', { status: 500, lostResponse: true });
    env.twilio.failNext('messages.list', { status: 503 });
    const queued = await replyOk(taskId, 'Still exactly once');
    await reaches(taskId, queued.id, 'SENT', 30_000);
    await sleep(1_500);
    expect(acceptedFor(queued.id)).toHaveLength(1);
    expect(createCalls(queued.id)).toHaveLength(1);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: queued.id } })).providerMessageId).toBe(acceptedFor(queued.id)[0]!.sid);
  });

  it('does not take an earlier reply with the same text for the one being retried', async () => {
    const { taskId } = await openTask('SMS', 'Two identical answers');
    const first = await replyOk(taskId, 'Noted, thanks.');
    await reaches(taskId, first.id, 'SENT');
    expect((await env.twilio.sendStatus(acceptedFor(first.id)[0]!.sid, 'delivered')).status).toBe(204);
    // The second identical reply never reaches Twilio on its first attempt.
    env.twilio.failNext('messages.create', { status: 503 });
    const second = await replyOk(taskId, 'Noted, thanks.');
    await reaches(taskId, second.id, 'SENT', 20_000);
    expect(createCalls(second.id).map((c) => c.status)).toEqual([503, 201]);
    expect(acceptedFor(second.id)).toHaveLength(1);
    const rows = await prisma.message.findMany({ where: { id: { in: [first.id, second.id] } } });
    expect(new Set(rows.map((r) => r.providerMessageId)).size).toBe(2);
    expect(rows.find((r) => r.id === second.id)!.providerMessageId).toBe(acceptedFor(second.id)[0]!.sid);
  });

  it('keeps a status callback that overtakes Twilio\'s answer, and still records the message sid', async () => {
    const { taskId } = await openTask('SMS', 'Slow Twilio ahead');
    env.twilio.delay('messages.create', 1_500);
    try {
      const queued = await replyOk(taskId, 'Delivered before Twilio answered');
      const accepted = await eventually(() => {
        const [m] = acceptedFor(queued.id);
        expect(m).toBeDefined();
        return m!;
      });
      expect((await env.twilio.sendStatus(accepted.sid, 'delivered')).status).toBe(204);
      expect((await messageOf(taskId, queued.id)).status).toBe('DELIVERED');
      await eventually(async () => expect((await prisma.message.findUniqueOrThrow({ where: { id: queued.id } })).providerMessageId).toBe(accepted.sid), { timeoutMs: 10_000 });
      expect(await messageOf(taskId, queued.id)).toMatchObject({ status: 'DELIVERED', error: null });
      expect(acceptedFor(queued.id)).toHaveLength(1);
    } finally {
      env.twilio.delay('messages.create', 0);
    }
  });
});

describe('crash safety: status callbacks around a lost answer', () => {
  it('keeps a status callback that overtakes a lost answer, and still records the message sid', async () => {
    const { taskId } = await openTask('SMS', 'Network cut, callback first');
    env.twilio.failNext('messages.create', { status: 500, lostResponse: true });
    const queued = await replyOk(taskId, 'Delivered though the answer was lost');
    const accepted = await eventually(() => {
      const [m] = acceptedFor(queued.id);
      expect(m).toBeDefined();
      return m!;
    });
    // Twilio delivers it and says so before Parley's retry comes round.
    expect((await env.twilio.sendStatus(accepted.sid, 'delivered')).status).toBe(204);
    expect((await messageOf(taskId, queued.id)).status).toBe('DELIVERED');
    await sleep(3_000); // the retry has run by now
    expect(acceptedFor(queued.id)).toHaveLength(1);
    expect((await messageOf(taskId, queued.id)).status).toBe('DELIVERED');
    // The message is Twilio's accepted one: its sid is recorded, as when a callback overtakes a slow answer.
    expect((await prisma.message.findUniqueOrThrow({ where: { id: queued.id } })).providerMessageId).toBe(accepted.sid);
  });
});

describe('fake Twilio message list, as findSent uses it through the SDK', () => {
  it('lists an account\'s messages newest first, filtered by From, To and the GMT date sent, across pages', async () => {
    const sid = randomSid('AC');
    const ours = '+15550008888';
    env.twilio.addAccount({ sid, authToken: 'list-token', friendlyName: 'Lister', numbers: [ours] });
    const client = twilio(sid, 'list-token', { region: '', edge: '' });
    client.api.baseUrl = env.twilio.url;
    const to = '+14155559876';
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await client.messages.create({ from: ours, to, body: `m${i}` }));
    const elsewhere = await client.messages.create({ from: ours, to: '+14155559877', body: 'other' });
    const wa = await client.messages.create({ from: `whatsapp:${ours}`, to: `whatsapp:${to}`, body: 'wa' });
    for (const m of created.slice(0, 3)) env.twilio.updateStatus(m.sid, 'sent');
    env.twilio.updateStatus(wa.sid, 'delivered');

    const before = env.twilio.calls.length;
    const all = await client.messages.list({ from: ours, to, pageSize: 2 });
    expect(all.map((m) => m.body)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    const pages = env.twilio.calls.slice(before).filter((c) => c.accountSid === sid);
    expect(pages.map((c) => [c.op, c.status])).toEqual([['messages.list', 200], ['messages.list', 200], ['messages.list', 200]]);
    expect(pages[1]!.params).toMatchObject({ From: ours, To: to, PageSize: '2', Page: '1', PageToken: `PA${created[3]!.sid}` });
    expect(all[0]).toMatchObject({ sid: created[4]!.sid, from: ours, to, status: 'queued', dateSent: null, accountSid: sid });
    expect(all[0]!.dateCreated).toBeInstanceOf(Date);
    expect(all[4]!.dateSent).toBeInstanceOf(Date);

    expect((await client.messages.list({ from: ours, limit: 3 })).map((m) => m.body)).toEqual(['other', 'm4', 'm3']);
    expect((await client.messages.list({ from: `whatsapp:${ours}` })).map((m) => m.body)).toEqual(['wa']);
    expect((await client.messages.list({ to: `whatsapp:${to}` })).map((m) => m.sid)).toEqual([wa.sid]);
    expect((await client.messages.list({ to })).map((m) => m.sid)).not.toContain(elsewhere.sid);
    // Dates count by GMT day; a message not sent yet has no date to match.
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000);
    const tomorrow = new Date(today.getTime() + 86_400_000);
    expect((await client.messages.list({ from: ours, to, dateSentAfter: yesterday })).map((m) => m.body)).toEqual(['m2', 'm1', 'm0']);
    expect(await client.messages.list({ from: ours, to, dateSentAfter: tomorrow })).toEqual([]);
    expect((await client.messages.list({ from: ours, to, dateSentBefore: today })).map((m) => m.body)).toEqual(['m2', 'm1', 'm0']);
    expect(await client.messages.list({ from: ours, to, dateSentBefore: yesterday })).toEqual([]);
    expect((await client.messages.list({ from: ours, to, dateSent: today })).map((m) => m.body)).toEqual(['m2', 'm1', 'm0']);

    // The raw JSON: Twilio's paging keys and RFC 2822 dates.
    const res = await fetch(`${env.twilio.url}/2010-04-01/Accounts/${sid}/Messages.json?To=${encodeURIComponent(to)}&PageSize=2`, { headers: { authorization: `Basic ${Buffer.from(`${sid}:list-token`).toString('base64')}` } });
    const body = (await res.json()) as Record<string, unknown> & { messages: Record<string, unknown>[] };
    expect(Object.keys(body).sort()).toEqual(['end', 'first_page_uri', 'messages', 'next_page_uri', 'page', 'page_size', 'previous_page_uri', 'start', 'uri']);
    expect(body).toMatchObject({ page: 0, page_size: 2, start: 0, end: 1, previous_page_uri: null, first_page_uri: `/2010-04-01/Accounts/${sid}/Messages.json?To=%2B14155559876&PageSize=2&Page=0` });
    expect(body.next_page_uri).toMatch(new RegExp(`^/2010-04-01/Accounts/${sid}/Messages\\.json\\?To=%2B14155559876&PageSize=2&Page=1&PageToken=PA${created[3]!.sid}$`));
    expect(body.messages[0]!.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(body.messages[1]!.date_sent).toBeNull();
    // Only the account's own messages, and only with its credentials.
    const foreign = await fetch(`${env.twilio.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, { headers: { authorization: `Basic ${Buffer.from(`${sid}:list-token`).toString('base64')}` } });
    expect(foreign.status).toBe(404);
    const bad = await fetch(`${env.twilio.url}/2010-04-01/Accounts/${sid}/Messages.json?DateSent%3E=someday`, { headers: { authorization: `Basic ${Buffer.from(`${sid}:list-token`).toString('base64')}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 20001 });
  });
});
