// Email replies and threading, end to end with signed webhooks: replyToTask
// sends through @sendgrid/mail on the fake SendGrid with a Reply-To routing
// address, our own Message-ID and In-Reply-To / References; customer emails
// come back into the right task (routing address, our Message-IDs, their own
// thread) and never into another integration's; SendGrid's errors and retries;
// delivery events from the (signed) Event Webhook, live over graphql-ws.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { eventsForMail, inboundParseForm, postEventWebhook, postInboundParse, signatureHeaders, type EventInput, type EventType, type InboundEmail, type SentMail } from '../fakes/sendgrid/index.ts';
import { prismaFor, signUp } from '../helpers/fixtures.ts';
import { collect, gql, gqlOk, wsClient } from '../helpers/graphql.ts';
import { API_KEY, CUSTOMER_EMAIL, FROM_EMAIL, INBOUND_DOMAIN, messageId, startSendGridEnv, type SendGridEnv } from '../helpers/sendgrid.ts';
import { taskOfProviderMessage } from '../helpers/twilio.ts';
import { eventually, sleep } from '../helpers/wait.ts';

let env: SendGridEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startSendGridEnv({ signed: true, env: { DELIVERY_BACKOFF_SECONDS: '0.5' } });
  prisma = prismaFor(env.t.databaseUrl);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.stop();
});

interface Reply {
  id: string;
  status: string;
  direction: string;
  body: string;
  error: string | null;
  errorCode: string | null;
}
const REPLY_FIELDS = 'id status direction body error errorCode';

/** Posts a signed email from the customer (to support@ unless given) with a known Message-ID. */
async function email(over: Partial<InboundEmail> = {}, url = env.webhookUrl, signed = true): Promise<string> {
  const id = over.headers?.['Message-ID'] ?? messageId();
  const form = inboundParseForm({
    from: `Eve Example <${CUSTOMER_EMAIL}>`,
    to: `Acme Support <${FROM_EMAIL}>`,
    subject: 'Invoice question',
    text: 'Hello',
    ...over,
    headers: { ...over.headers, 'Message-ID': id },
  });
  const res = await postInboundParse(url, form, signed ? { privateKey: env.keys!.privateKey } : {});
  expect(res.status, res.body).toBe(200);
  return id;
}

const taskOf = (providerMessageId: string, integrationId = env.integrationId) => taskOfProviderMessage(prisma, integrationId, providerMessageId);

/** A customer email that became a task: its id and the task's. */
async function openTask(over: Partial<InboundEmail> = {}): Promise<{ taskId: string; emailId: string }> {
  const emailId = await email(over);
  return { taskId: await taskOf(emailId), emailId };
}

async function reply(taskId: string, body: string): Promise<Reply> {
  const res = await gql<{ replyToTask: Reply }>(env.t.url, `mutation($t: ID!, $b: String!) { replyToTask(taskId: $t, body: $b) { ${REPLY_FIELDS} } }`, { t: taskId, b: body }, env.admin.token);
  expect(res.errors).toBeUndefined();
  expect(res.data!.replyToTask).toMatchObject({ status: 'QUEUED', direction: 'OUTBOUND', body });
  return res.data!.replyToTask;
}

async function messagesOf(taskId: string): Promise<Reply[]> {
  return (await gqlOk<{ task: { messages: Reply[] } }>(env.t.url, `query($id: ID!) { task(id: $id) { messages { ${REPLY_FIELDS} } } }`, { id: taskId }, env.admin.token)).task.messages;
}

/** Waits until the reply has left QUEUED (or reached `status`); returns it as the API shows it. */
async function settled(taskId: string, messageId: string, status?: string, timeoutMs = 20_000): Promise<Reply> {
  return eventually(async () => {
    const m = (await messagesOf(taskId)).find((x) => x.id === messageId);
    if (status) expect(m?.status).toBe(status);
    else expect(m?.status).not.toBe('QUEUED');
    return m!;
  }, { timeoutMs, intervalMs: 100 });
}

/** The emails SendGrid accepted for a reply (custom_args carry our message id). */
const sentFor = (messageId: string): SentMail[] => env.sendgrid.sent.filter((s) => s.body.custom_args?.parley_message_id === messageId);

/** Replies and waits until SendGrid took it; returns the accepted email. */
async function replySent(taskId: string, body: string): Promise<{ reply: Reply; sent: SentMail }> {
  const r = await reply(taskId, body);
  expect(await settled(taskId, r.id)).toMatchObject({ status: 'SENT', error: null });
  const sent = sentFor(r.id);
  expect(sent).toHaveLength(1);
  return { reply: r, sent: sent[0]! };
}

const ourMessageId = (id: string) => `<parley.${id}@${INBOUND_DOMAIN}>`;
const refsOf = (sent: SentMail) => (sent.body.headers?.References ?? '').split(/\s+/).filter(Boolean);
const tokenOf = (sent: SentMail) => /^reply\+([^@]+)@(.+)$/.exec(sent.body.reply_to?.email ?? '');
const routingAddress = (sent: SentMail) => sent.body.reply_to!.email;

async function postEvents(events: object[], opts: Parameters<typeof postEventWebhook>[2] = { privateKey: env.keys!.privateKey }, url = env.eventsUrl) {
  return postEventWebhook(url, events, opts);
}
const events = (sent: SentMail, type: EventType, extra: Partial<Omit<EventInput, 'email' | 'messageId'>> = {}) => eventsForMail(sent, type, extra);
const statusOf = async (id: string) => prisma.message.findUniqueOrThrow({ where: { id }, select: { status: true, error: true, errorCode: true } });

describe('replying by email', () => {
  it('sends once, with a Reply-To routing address, our Message-ID, threading headers and the Re: subject; SENT shows live', async () => {
    const { taskId, emailId } = await openTask({ subject: 'Invoice question', text: 'My invoice for May is wrong.' });
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const live = collect<{ messageUpdated: Reply }>(client, `subscription($t: ID) { messageUpdated(taskId: $t) { ${REPLY_FIELDS} } }`, { t: taskId });
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(1));

    const r = await reply(taskId, 'Sorry about that, a corrected invoice is on its way.');
    await eventually(() => expect(live.events.map((e) => e.messageUpdated)).toContainEqual(expect.objectContaining({ id: r.id, status: 'SENT' })), { timeoutMs: 20_000 });
    expect(live.errors).toEqual([]);
    live.stop();
    await client.dispose();

    const sent = sentFor(r.id);
    expect(sent).toHaveLength(1);
    const mail = sent[0]!;
    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task.routingToken).toMatch(/^[0-9a-f]{32,}$/);
    expect(mail.apiKey).toBe(API_KEY);
    expect(mail.body).toMatchObject({
      personalizations: [{ to: [{ email: CUSTOMER_EMAIL }] }],
      from: { email: FROM_EMAIL, name: 'Acme Support' },
      reply_to: { email: `reply+${task.routingToken}@${INBOUND_DOMAIN}` },
      subject: 'Re: Invoice question',
      content: [{ type: 'text/plain', value: 'Sorry about that, a corrected invoice is on its way.' }],
      custom_args: { parley_message_id: r.id },
      headers: { 'Message-ID': ourMessageId(r.id), 'In-Reply-To': emailId, References: emailId },
    });
    const row = await prisma.message.findUniqueOrThrow({ where: { id: r.id } });
    expect(row).toMatchObject({ status: 'SENT', providerMessageId: ourMessageId(r.id), error: null });
    expect(row.sentAt).not.toBeNull();
    expect((await messagesOf(taskId)).map((m) => [m.direction, m.status])).toEqual([['INBOUND', 'RECEIVED'], ['OUTBOUND', 'SENT']]);
  });

  it('gives every task its own unguessable routing token', async () => {
    const [a, b] = await Promise.all([openTask({ subject: 'Token A' }), openTask({ subject: 'Token B' })]);
    const [ra, rb] = await Promise.all([replySent(a.taskId, 'A'), replySent(b.taskId, 'B')]);
    const [sa, sb] = [ra.sent, rb.sent];
    const [ta, tb] = [tokenOf(sa), tokenOf(sb)];
    expect(ta?.[2]).toBe(INBOUND_DOMAIN);
    expect(ta?.[1]).toMatch(/^[0-9a-f]{32,}$/);
    expect(tb?.[1]).toMatch(/^[0-9a-f]{32,}$/);
    expect(ta?.[1]).not.toBe(tb?.[1]);
    // Two replies on the same task share it.
    expect(routingAddress((await replySent(a.taskId, 'A again')).sent)).toBe(routingAddress(sa));
  });

  it('after two customer emails, answers the second (In-Reply-To) and keeps the thread root first in References', async () => {
    const { taskId, emailId: first } = await openTask({ subject: 'Export broken', text: 'The export fails.' });
    const second = await email({ subject: 'Re: Export broken', text: 'Also on Firefox.', headers: { 'In-Reply-To': first, References: first } });
    expect(await taskOf(second)).toBe(taskId);
    const { sent } = await replySent(taskId, 'Thanks, we are on it.');
    expect(sent.body.headers?.['In-Reply-To']).toBe(second);
    expect(refsOf(sent)).toEqual([first, second]);
    expect(sent.body.subject).toBe('Re: Export broken');
  });

  it('keeps the thread root in References when the customer\'s latest email came without References', async () => {
    const { taskId, emailId: root } = await openTask({ subject: 'Refund', text: 'I want a refund.' });
    const { sent: ours } = await replySent(taskId, 'Which order?');
    // Some clients send In-Reply-To only; this one answers our email at the routing address.
    const latest = await email({ to: routingAddress(ours), subject: 'Re: Refund', text: 'Order 1234.', headers: { 'In-Reply-To': ours.body.headers!['Message-ID']! } });
    expect(await taskOf(latest)).toBe(taskId);
    const { sent } = await replySent(taskId, 'Refunded.');
    expect(sent.body.headers?.['In-Reply-To']).toBe(latest);
    const refs = refsOf(sent);
    expect(refs[0]).toBe(root);
    expect(refs).toContain(latest);
  });

  it('never piles up reply prefixes in the subject', async () => {
    const [re, aw] = await Promise.all([
      openTask({ subject: 'Re: Invoice', text: 'Still waiting for the invoice.' }),
      openTask({ subject: 'AW: Re: Lieferung', text: 'Wo bleibt die Lieferung?' }),
    ]);
    const [sre, saw] = await Promise.all([replySent(re.taskId, 'Sent it again.'), replySent(aw.taskId, 'Morgen.')]);
    expect(sre.sent.body.subject).toBe('Re: Invoice');
    expect(saw.sent.body.subject).toBe('Re: Lieferung');
    // The compose sheet shows the same subject, from the server.
    for (const [taskId, subject] of [[re.taskId, 'Re: Invoice'], [aw.taskId, 'Re: Lieferung']] as const) {
      const { task } = await gqlOk<{ task: { conversation: { replySubject: string } } }>(env.t.url, 'query($id: ID!) { task(id: $id) { conversation { replySubject } } }', { id: taskId }, env.admin.token);
      expect(task.conversation.replySubject).toBe(subject);
    }
  });
});

describe('threading customer emails', () => {
  it('files an email to the routing address into its OPEN task, whether in To, Cc or only the envelope', async () => {
    const { taskId } = await openTask({ subject: 'Routing', text: 'Where is my parcel?' });
    const { sent } = await replySent(taskId, 'It left the warehouse.');
    const address = routingAddress(sent);
    // No threading headers, another subject: only the address says where it belongs.
    const inTo = await email({ to: address, subject: 'new subject', text: 'Thanks!' });
    const inCc = await email({ to: 'Someone Else <someone@example.org>', cc: `"Doe, John" <john@example.org>, ${address}`, subject: 'cc', text: 'Copying you.', envelope: { from: CUSTOMER_EMAIL, to: [`support@${INBOUND_DOMAIN}`] } });
    const onlyEnvelope = await email({ to: `Acme Support <${FROM_EMAIL}>`, subject: 'bcc', text: 'Blind copy.', envelope: { from: CUSTOMER_EMAIL, to: [address] } });
    const shouted = await email({ to: address.toUpperCase(), subject: 'caps', text: 'Upper case.' });
    for (const id of [inTo, inCc, onlyEnvelope, shouted]) expect(await taskOf(id)).toBe(taskId);
    expect((await messagesOf(taskId)).map((m) => m.body)).toEqual(['Where is my parcel?', 'It left the warehouse.', 'Thanks!', 'Copying you.', 'Blind copy.', 'Upper case.']);
    expect(await prisma.task.count({ where: { contact: { email: CUSTOMER_EMAIL }, title: { in: ['Thanks!', 'Copying you.', 'Blind copy.', 'Upper case.'] } } })).toBe(0);
  });

  it('opens a NEW task for the same contact when the routing address belongs to a DONE task', async () => {
    const { taskId } = await openTask({ subject: 'Closed one', text: 'Question before closing.' });
    const { sent } = await replySent(taskId, 'Answer before closing.');
    await gqlOk(env.t.url, 'mutation($t: ID!) { setTaskStatus(taskId: $t, status: DONE) { id status } }', { t: taskId }, env.admin.token);
    const later = await email({ to: routingAddress(sent), subject: 'Re: Closed one', text: 'One more thing.', headers: { 'In-Reply-To': sent.body.headers!['Message-ID']!, References: sent.body.headers!.References! } });
    const newTaskId = await taskOf(later);
    expect(newTaskId).not.toBe(taskId);
    const [old, fresh] = await Promise.all([taskId, newTaskId].map((id) => prisma.task.findUniqueOrThrow({ where: { id }, include: { messages: true } })));
    expect(old!.status).toBe('DONE');
    expect(old!.messages).toHaveLength(2);
    expect(fresh!.status).toBe('OPEN');
    expect(fresh!.contactId).toBe(old!.contactId);
    expect(fresh!.messages.map((m) => m.body)).toEqual(['One more thing.']);
    expect(fresh!.routingToken).not.toBe(old!.routingToken);
  });

  it('files an email whose In-Reply-To or References name one of our Message-IDs into that task', async () => {
    const { taskId, emailId: root } = await openTask({ subject: 'Headers only', text: 'Does the API support webhooks?' });
    const { sent } = await replySent(taskId, 'Yes it does.');
    const ours = sent.body.headers!['Message-ID']!;
    // Sent to support@ (not the routing address): the headers must do it.
    const byInReplyTo = await email({ subject: 'Re: Headers only', text: 'Great, thanks.', headers: { 'In-Reply-To': ours } });
    const byReferences = await email({ subject: 'Re: Headers only', text: 'One more question.', headers: { 'In-Reply-To': '<unknown@elsewhere.example>', References: `<other@elsewhere.example> ${ours}` } });
    expect(await taskOf(byInReplyTo)).toBe(taskId);
    expect(await taskOf(byReferences)).toBe(taskId);
    expect(root).toBeTruthy();
  });

  it('makes two tasks of two unrelated emails from the same customer', async () => {
    const a = await email({ subject: 'Password reset', text: 'I cannot reset my password.' });
    const b = await email({ subject: 'Feature idea', text: 'Dark mode please.' });
    const [ta, tb] = await Promise.all([taskOf(a), taskOf(b)]);
    expect(ta).not.toBe(tb);
    const tasks = await prisma.task.findMany({ where: { id: { in: [ta, tb] } } });
    expect(new Set(tasks.map((t) => t.contactId)).size).toBe(1);
  });

  it('keeps a customer\'s email that references their own earlier one in that task, even within the same burst', async () => {
    // The earlier one is already a task.
    const { taskId, emailId: first } = await openTask({ subject: 'Login', text: 'I cannot log in.' });
    const followUp = await email({ subject: 'Re: Login', text: 'Now it says locked.', headers: { 'In-Reply-To': first, References: first } });
    expect(await taskOf(followUp)).toBe(taskId);

    // Both in the same burst, References folded over two lines.
    const root = messageId();
    const a = await email({ subject: 'Billing', text: 'Charged twice.', headers: { 'Message-ID': root } });
    const b = await email({ subject: 'Re: Billing', text: 'Here is the receipt.', headers: { 'In-Reply-To': root, References: `<client-draft@mail.example.com>\r\n ${root}` } });
    const [ta, tb] = await Promise.all([taskOf(a), taskOf(b)]);
    expect(ta).toBe(tb);
    expect((await messagesOf(ta)).map((m) => m.body)).toEqual(['Charged twice.', 'Here is the receipt.']);
  });

  it('never files an email into another integration\'s or workspace\'s task by its routing token or Message-IDs', async () => {
    const { taskId, emailId } = await openTask({ subject: 'Private', text: 'Private conversation.' });
    const { sent } = await replySent(taskId, 'Private answer.');
    const token = tokenOf(sent)![1]!;
    const ours = sent.body.headers!['Message-ID']!;
    const before = await prisma.message.count({ where: { taskId } });

    // Another workspace connects the same sender and inbound domain (unsigned).
    const other = await signUp(env.t.url, 'Other Co');
    const connectOther = (authToken: string, inboundDomain: string) =>
      gqlOk<{ connectSendGrid: { id: string; webhookUrl: string; statusWebhookUrl: string } }>(
        env.t.url, 'mutation($input: ConnectSendGridInput!) { connectSendGrid(input: $input) { id webhookUrl statusWebhookUrl } }',
        { input: { apiKey: API_KEY, fromEmail: FROM_EMAIL, inboundDomain } }, authToken,
      );
    const foreign = (await connectOther(other.token, INBOUND_DOMAIN)).connectSendGrid;
    // And a second integration in the same workspace, on another domain.
    const sibling = (await connectOther(env.admin.token, 'second.acme.test')).connectSendGrid;

    const headers = { 'In-Reply-To': ours, References: `${emailId} ${ours}` };
    const toForeign = await email({ to: routingAddress(sent), subject: 'Re: Private', text: 'Sent to the other workspace.', headers }, foreign.webhookUrl, false);
    const toSibling = await email({ to: `reply+${token}@second.acme.test`, subject: 'Re: Private', text: 'Sent to the sibling.', headers }, sibling.webhookUrl, false);
    const foreignTask = await taskOf(toForeign, foreign.id);
    const siblingTask = await taskOf(toSibling, sibling.id);
    expect(foreignTask).not.toBe(taskId);
    expect(siblingTask).not.toBe(taskId);
    const tasks = await prisma.task.findMany({ where: { id: { in: [foreignTask, siblingTask] } } });
    expect(tasks.find((t) => t.id === foreignTask)).toMatchObject({ workspaceId: other.workspaceId, integrationId: foreign.id });
    expect(tasks.find((t) => t.id === siblingTask)).toMatchObject({ workspaceId: env.admin.workspaceId, integrationId: sibling.id });
    expect(await prisma.message.count({ where: { taskId } })).toBe(before);

    // Nor do their delivery events touch our replies.
    expect((await postEvents(events(sent, 'bounce'), {}, foreign.statusWebhookUrl)).status).toBe(200);
    expect((await postEvents(events(sent, 'bounce'), {}, sibling.statusWebhookUrl)).status).toBe(200);
    expect(await statusOf(sent.body.custom_args!.parley_message_id!)).toMatchObject({ status: 'SENT' });
  });
});

describe('SendGrid errors', () => {
  let taskId: string;

  beforeAll(async () => {
    taskId = (await openTask({ subject: 'Errors', text: 'Testing errors.' })).taskId;
  });

  async function integration() {
    const data = await gqlOk<{ integrations: { id: string; status: string; lastError: string | null }[] }>(env.t.url, '{ integrations { id status lastError } }', {}, env.admin.token);
    return data.integrations.find((i) => i.id === env.integrationId)!;
  }

  it('marks a reply SendGrid refuses (400) FAILED with SendGrid\'s message, without retrying', async () => {
    env.sendgrid.failNext('mail.send', { status: 400, errors: [{ message: 'The from address does not match a verified Sender Identity.', field: 'from', help: null }] });
    const r = await reply(taskId, 'This one is refused.');
    const failed = await settled(taskId, r.id);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: '400', error: expect.stringContaining('The from address does not match a verified Sender Identity.') });
    await sleep(1500);
    expect(sentFor(r.id)).toHaveLength(0);
    expect((await statusOf(r.id)).status).toBe('FAILED');
    expect(await integration()).toMatchObject({ status: 'CONNECTED', lastError: null });
  });

  it('marks the reply FAILED and the integration ERROR when SendGrid rejects the key (401); a later success clears it', async () => {
    env.sendgrid.failNext('mail.send', { status: 401 });
    const r = await reply(taskId, 'Key rejected.');
    expect(await settled(taskId, r.id)).toMatchObject({ status: 'FAILED', errorCode: '401', error: expect.stringContaining('The provided authorization grant is invalid, expired, or revoked') });
    expect(await integration()).toMatchObject({ status: 'ERROR', lastError: expect.stringContaining('The provided authorization grant is invalid, expired, or revoked') });
    expect(sentFor(r.id)).toHaveLength(0);
    await replySent(taskId, 'Works again.');
    expect(await integration()).toMatchObject({ status: 'CONNECTED', lastError: null });
  });

  it('retries 429 and 5xx answers, then sends exactly one email', async () => {
    const callsBefore = env.sendgrid.calls.filter((c) => c.path === '/v3/mail/send').length;
    env.sendgrid.failNext('mail.send', { status: 429, retryAfterSeconds: 1 });
    env.sendgrid.failNext('mail.send', { status: 500 });
    env.sendgrid.failNext('mail.send', { status: 503 });
    const r = await reply(taskId, 'Eventually delivered.');
    const done = await settled(taskId, r.id, 'SENT', 30_000);
    expect(done).toMatchObject({ status: 'SENT', error: null, errorCode: null });
    expect(sentFor(r.id)).toHaveLength(1);
    const statuses = env.sendgrid.calls.filter((c) => c.path === '/v3/mail/send').slice(callsBefore).map((c) => c.status);
    expect(statuses).toEqual([429, 500, 503, 202]);
    expect(await prisma.message.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ deliveryAttempts: 4, providerMessageId: ourMessageId(r.id) });
    expect(await integration()).toMatchObject({ status: 'CONNECTED' });
  });

  it('retries a 429 without Retry-After too', async () => {
    env.sendgrid.failNext('mail.send', { status: 429 }, 2);
    const r = await reply(taskId, 'Rate limited twice.');
    expect(await settled(taskId, r.id, 'SENT', 30_000)).toMatchObject({ status: 'SENT' });
    expect(sentFor(r.id)).toHaveLength(1);
  });
});

describe('the Event Webhook', () => {
  let taskId: string;

  beforeAll(async () => {
    taskId = (await openTask({ subject: 'Events', text: 'Testing events.' })).taskId;
  });

  it('moves a reply to DELIVERED then READ, live, and never back', async () => {
    const { reply: r, sent } = await replySent(taskId, 'Tracked reply.');
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const live = collect<{ messageUpdated: Reply }>(client, `subscription($t: ID) { messageUpdated(taskId: $t) { ${REPLY_FIELDS} } }`, { t: taskId });
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(1));

    expect((await postEvents([...events(sent, 'processed'), ...events(sent, 'delivered')])).status).toBe(200);
    expect(await statusOf(r.id)).toMatchObject({ status: 'DELIVERED', error: null });
    expect((await postEvents(events(sent, 'open'))).status).toBe(200);
    expect(await statusOf(r.id)).toMatchObject({ status: 'READ' });
    // An open by a privacy proxy that fetches every image (sg_machine_open) is no reading.
    const machine = await replySent(taskId, 'Opened by a machine.');
    expect((await postEvents([...events(machine.sent, 'delivered'), ...events(machine.sent, 'open').map((e) => ({ ...e, sg_machine_open: true }))])).status).toBe(200);
    expect(await statusOf(machine.reply.id)).toMatchObject({ status: 'DELIVERED' });
    // Late and repeated events change nothing.
    expect((await postEvents([...events(sent, 'delivered'), ...events(sent, 'processed'), ...events(sent, 'deferred'), ...events(sent, 'click')])).status).toBe(200);
    expect(await statusOf(r.id)).toMatchObject({ status: 'READ' });

    await eventually(() => {
      const seen = live.events.map((e) => e.messageUpdated).filter((m) => m.id === r.id).map((m) => m.status);
      expect(seen).toEqual(['DELIVERED', 'READ']);
    });
    expect(live.errors).toEqual([]);
    live.stop();
    await client.dispose();
  });

  it('marks a bounce FAILED with the reason, and nothing afterwards moves it back', async () => {
    const { reply: r, sent } = await replySent(taskId, 'This will bounce.');
    const reason = '550 5.1.1 The email account that you tried to reach does not exist.';
    expect((await postEvents([...events(sent, 'processed'), ...events(sent, 'bounce', { reason, status: '5.1.1' })])).status).toBe(200);
    const failed = await statusOf(r.id);
    expect(failed).toEqual({ status: 'FAILED', errorCode: 'bounce:5.1.1', error: expect.stringContaining(reason) });
    for (const late of ['processed', 'delivered', 'open'] as const) {
      expect((await postEvents(events(sent, late))).status).toBe(200);
    }
    expect(await statusOf(r.id)).toEqual(failed);
    expect((await messagesOf(taskId)).find((m) => m.id === r.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining(reason) });
  });

  it('marks a delivered reply FAILED when a bounce follows, and says when the server blocked it', async () => {
    const { reply: r, sent } = await replySent(taskId, 'Delivered, then blocked.');
    await postEvents(events(sent, 'delivered'));
    expect((await statusOf(r.id)).status).toBe('DELIVERED');
    await postEvents(events(sent, 'bounce', { type: 'blocked', reason: '554 5.7.1 Message rejected as spam', status: '5.7.1' }));
    expect(await statusOf(r.id)).toEqual({ status: 'FAILED', errorCode: 'bounce:5.7.1', error: expect.stringMatching(/blocked.*554 5\.7\.1 Message rejected as spam/) });
  });

  it('marks a dropped reply FAILED', async () => {
    const { reply: r, sent } = await replySent(taskId, 'This will be dropped.');
    expect((await postEvents(events(sent, 'dropped', { reason: 'Bounced Address' }))).status).toBe(200);
    expect(await statusOf(r.id)).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/dropped.*Bounced Address/) });
  });

  it('applies a batch of events about several replies', async () => {
    const a = await replySent(taskId, 'Batch A.');
    const b = await replySent(taskId, 'Batch B.');
    expect((await postEvents([...events(a.sent, 'delivered'), ...events(b.sent, 'delivered'), ...events(b.sent, 'open')])).status).toBe(200);
    expect((await statusOf(a.reply.id)).status).toBe('DELIVERED');
    expect((await statusOf(b.reply.id)).status).toBe('READ');
  });

  it('ignores events about unknown messages (and customer messages) with 200', async () => {
    const { reply: r, sent } = await replySent(taskId, 'Unrelated events must not touch me.');
    const inbound = await prisma.message.findFirstOrThrow({ where: { taskId, direction: 'INBOUND' } });
    const strangers = [
      ...events(sent, 'bounce', { customArgs: { parley_message_id: randomUUID() } }),
      ...events(sent, 'bounce', { customArgs: { parley_message_id: 'not-a-uuid' } }),
      ...events(sent, 'bounce', { customArgs: { parley_message_id: inbound.id } }),
      // Mail Parley did not send (no custom args at all).
      { email: 'x@example.org', timestamp: Math.floor(Date.now() / 1000), event: 'bounce', sg_event_id: 'e1', sg_message_id: 'm1.filter', reason: 'nope' },
      { event: 'delivered', parley_message_id: 42 },
      null,
      'not an event',
    ] as unknown as object[];
    expect((await postEvents(strangers)).status).toBe(200);
    expect((await postEvents([])).status).toBe(200);
    expect((await statusOf(r.id)).status).toBe('SENT');
    expect(await prisma.message.findUniqueOrThrow({ where: { id: inbound.id } })).toMatchObject({ status: 'RECEIVED', error: null });
  });

  it('answers 400 to a body that is not a JSON array of events', async () => {
    const { reply: r, sent } = await replySent(taskId, 'Bad bodies.');
    const postRaw = (raw: string) => fetch(env.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...signatureHeaders(env.keys!.privateKey, raw) }, body: raw });
    expect((await postRaw('[{"event": "bounce",')).status).toBe(400);
    expect((await postRaw('not json')).status).toBe(400);
    expect((await postRaw(JSON.stringify(events(sent, 'bounce')[0]))).status).toBe(400);
    expect((await statusOf(r.id)).status).toBe('SENT');
  });

  it('answers 403 to a wrong URL secret, and to unsigned, badly signed or stale posts, changing nothing', async () => {
    const { reply: r, sent } = await replySent(taskId, 'Guarded.');
    const bounce = events(sent, 'bounce');
    const wrongSecret = env.eventsUrl.replace(/\/[^/]+\/events$/, '/not-the-secret/events');
    expect((await postEvents(bounce, { privateKey: env.keys!.privateKey }, wrongSecret)).status).toBe(403);
    expect((await postEvents(bounce, {})).status).toBe(403);
    expect((await postEvents(bounce, { badSignature: true })).status).toBe(403);
    expect((await postEvents(bounce, { privateKey: env.keys!.privateKey, timestamp: String(Math.floor(Date.now() / 1000) - 6 * 60) })).status).toBe(403);
    expect((await statusOf(r.id)).status).toBe('SENT');
    expect((await postEvents(bounce)).status).toBe(200);
    expect((await statusOf(r.id)).status).toBe('FAILED');
  });
});
