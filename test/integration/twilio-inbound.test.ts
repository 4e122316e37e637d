// Twilio "A message comes in" webhooks, end to end: the signature (also behind
// a proxy), robustness, SMS and WhatsApp messages with their contacts and
// media, retries, teammates, and bundling per (integration, contact, our
// number, channel) into tasks, published over graphql-ws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { encodeForm, inboundSms, inboundWhatsApp, nextMessageSid, postTwilioWebhook, randomSid, twilioSignature, type TwilioParams } from '../fakes/twilio/index.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { collect, gqlOk, wsClient } from '../helpers/graphql.ts';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER_PHONE, SMS_NUMBER, TEAMMATE_PHONE, WHATSAPP_NUMBER, startTwilioEnv, taskOfProviderMessage, type TwilioEnv } from '../helpers/twilio.ts';
import { eventually, sleep } from '../helpers/wait.ts';

let env: TwilioEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startTwilioEnv();
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

const TASK_FIELDS = `id status channel title
  contact { id name phone }
  conversation { channel address integration { id } }
  messages { id direction status body attachments { name contentType url } }`;
interface TaskView {
  id: string;
  status: string;
  channel: string;
  title: string;
  contact: { id: string; name: string | null; phone: string | null };
  conversation: { channel: string; address: string | null; integration: { id: string } };
  messages: { id: string; direction: string; status: string; body: string; attachments: { name: string; contentType: string | null; url: string | null }[] }[];
}
const task = async (id: string) => (await gqlOk<{ task: TaskView }>(env.t.url, `query($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`, { id }, env.admin.token)).task;
const rowsOf = (sid: string) => prisma.message.count({ where: { integrationId: env.integrationId, providerMessageId: sid } });
const rowOf = (sid: string) => prisma.message.findFirst({ where: { integrationId: env.integrationId, providerMessageId: sid } });
const taskOf = (sid: string) => taskOfProviderMessage(prisma, env.integrationId, sid);
const allMessages = () => prisma.message.count();
const EMPTY_TWIML = /^(<\?xml[^>]*\?>)?\s*<Response>\s*<\/Response>\s*$/;

let phones = 0;
/** A customer number nobody has used in this file yet (so each test has its own conversations). */
const newPhone = () => `+1415555${String(2000 + ++phones).padStart(4, '0')}`;

/** Posts a raw form with the given signature header (or none). */
async function postRaw(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

describe('Twilio webhook: security and robustness', () => {
  it('refuses a wrong, missing or stale signature, a tampered form and a signature over another URL with 403, storing nothing', async () => {
    const before = await allMessages();
    const sids: string[] = [];
    const senders: string[] = [];
    const refused: number[] = [];
    const form = (body: string) => {
      const messageSid = nextMessageSid();
      const from = newPhone();
      sids.push(messageSid);
      senders.push(from);
      return inboundSms({ accountSid: ACCOUNT_SID, from, to: SMS_NUMBER, body, messageSid });
    };
    refused.push((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, form('wrong key'), { badSignature: true })).status);
    refused.push((await postTwilioWebhook(env.webhookUrl, 'an-old-auth-token', form('old token'))).status);
    const unsigned = form('no signature');
    refused.push((await postRaw(env.webhookUrl, encodeForm(unsigned), { 'content-type': 'application/x-www-form-urlencoded' })).status);
    refused.push((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, form('empty signature'), { headers: { 'x-twilio-signature': '' } })).status);
    // Signed, then changed on the way.
    const signed = form('I owe you $10');
    const sig = twilioSignature(AUTH_TOKEN, env.webhookUrl, signed);
    refused.push((await postRaw(env.webhookUrl, encodeForm({ ...signed, Body: 'I owe you $1000' }), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig })).status);
    refused.push((await postRaw(env.webhookUrl, encodeForm({ ...signed, Extra: 'x' }), { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig })).status);
    // A signature for another endpoint (the status callback URL, another integration) is not one for this one.
    refused.push((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, form('status url'), { signatureUrl: `${env.webhookUrl}/status` })).status);
    refused.push((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, form('other id'), { signatureUrl: env.webhookUrl.replace(env.integrationId, '0190f3b4-0000-7000-8000-000000000000') })).status);
    refused.push((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, form('query added'), { signatureUrl: `${env.webhookUrl}?x=1` })).status);
    expect(refused).toEqual([403, 403, 403, 403, 403, 403, 403, 403, 403]);
    for (const sid of sids) expect(await rowsOf(sid)).toBe(0);
    expect(await allMessages()).toBe(before);
    expect(await prisma.contact.count({ where: { phone: { in: senders } } })).toBe(0);
    expect(env.t.logs.some((l) => l.includes('webhook refused') && l.includes('"status":403'))).toBe(true);
  });

  it('checks the signature before reading the form: an unsigned, malformed or foreign post is a 403', async () => {
    const before = await allMessages();
    const noFrom = inboundSms({ accountSid: ACCOUNT_SID, from: newPhone(), to: SMS_NUMBER, body: 'x' });
    delete (noFrom as Record<string, string>).From;
    expect((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, noFrom, { badSignature: true })).status).toBe(403);
    const foreign = inboundSms({ accountSid: randomSid('AC'), from: newPhone(), to: SMS_NUMBER, body: 'x' });
    expect((await postTwilioWebhook(env.webhookUrl, 'their-token', foreign)).status).toBe(403);
    expect(await allMessages()).toBe(before);
  });

  it('answers a message with empty TwiML as text/xml', async () => {
    const res = await env.sms('Hello, is anyone there?', { from: newPhone() });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/xml/);
    expect(res.body).toMatch(EMPTY_TWIML);
    expect(await rowsOf(res.messageSid)).toBe(1);
    await taskOf(res.messageSid);
  });

  it('refuses a message of another Twilio account with 403, even correctly signed with our token', async () => {
    const sid = nextMessageSid();
    const params = inboundSms({ accountSid: randomSid('AC'), from: newPhone(), to: SMS_NUMBER, body: 'wrong account', messageSid: sid });
    const res = await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, params);
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/another Twilio account/);
    const noAccount = inboundSms({ accountSid: ACCOUNT_SID, from: newPhone(), to: SMS_NUMBER, body: 'no account', messageSid: nextMessageSid() });
    delete (noAccount as Record<string, string>).AccountSid;
    expect((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, noAccount)).status).toBe(403);
    expect(await rowsOf(sid)).toBe(0);
  });

  it('answers 400 for another content type and for signed forms that are not a message', async () => {
    const before = await allMessages();
    const params = inboundSms({ accountSid: ACCOUNT_SID, from: newPhone(), to: SMS_NUMBER, body: 'as JSON' });
    const json = JSON.stringify(params);
    const asJson = await postRaw(env.webhookUrl, json, { 'content-type': 'application/json', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, env.webhookUrl, {}) });
    expect(asJson.status).toBe(400);
    const asText = await postRaw(env.webhookUrl, encodeForm(params), { 'content-type': 'text/plain', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, env.webhookUrl, params) });
    expect(asText.status).toBe(400);
    // Well signed, but missing what makes a message.
    for (const missing of [['From'], ['To'], ['MessageSid', 'SmsMessageSid', 'SmsSid']]) {
      const form: TwilioParams = Object.fromEntries(Object.entries(inboundSms({ accountSid: ACCOUNT_SID, from: newPhone(), to: SMS_NUMBER, body: 'partial' })).filter(([k]) => !missing.includes(k)));
      expect((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, form)).status, missing.join()).toBe(400);
    }
    // A status callback without a status.
    expect((await postTwilioWebhook(`${env.webhookUrl}/status?message=x`, AUTH_TOKEN, { AccountSid: ACCOUNT_SID, MessageSid: nextMessageSid() })).status).toBe(400);
    expect(await allMessages()).toBe(before);
  });

  it('answers 404 for unknown integrations and paths, 405 for other methods', async () => {
    const params = inboundSms({ accountSid: ACCOUNT_SID, from: newPhone(), to: SMS_NUMBER, body: 'to nowhere', messageSid: nextMessageSid() });
    const base = new URL(env.webhookUrl).origin;
    for (const url of [
      `${base}/webhooks/twilio/0190f3b4-0000-7000-8000-000000000000`,
      `${base}/webhooks/twilio/not-a-uuid`,
      `${base}/webhooks/twilio/`,
      `${base}/webhooks/slack/${env.integrationId}`, // a Twilio integration under another provider's path
      `${env.webhookUrl}/elsewhere`,
    ]) {
      expect((await postTwilioWebhook(url, AUTH_TOKEN, params)).status, url).toBe(404);
    }
    expect((await fetch(env.webhookUrl)).status).toBe(405);
    expect(await rowsOf(params.MessageSid!)).toBe(0);
  });

  it('answers 410 for a disconnected integration', async () => {
    const sid = randomSid('AC');
    env.twilio.addAccount({ sid, authToken: 'second-token', friendlyName: 'Second line', numbers: ['+15550007777'] });
    const second = await gqlOk<{ connectTwilio: { id: string; webhookUrl: string } }>(
      env.t.url, 'mutation($i: ConnectTwilioInput!) { connectTwilio(input: $i) { id webhookUrl } }', { i: { accountSid: sid, authToken: 'second-token', smsNumber: '+15550007777' } }, env.admin.token,
    );
    const { id, webhookUrl } = second.connectTwilio;
    const first = nextMessageSid();
    expect((await postTwilioWebhook(webhookUrl, 'second-token', inboundSms({ accountSid: sid, from: newPhone(), to: '+15550007777', body: 'before', messageSid: first }))).status).toBe(200);
    await gqlOk(env.t.url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { id } }', { id }, env.admin.token);
    const after = nextMessageSid();
    const res = await postTwilioWebhook(webhookUrl, 'second-token', inboundSms({ accountSid: sid, from: newPhone(), to: '+15550007777', body: 'after', messageSid: after }));
    expect(res.status).toBe(410);
    expect(await prisma.message.count({ where: { integrationId: id, providerMessageId: after } })).toBe(0);
  });

  it('answers 413 for a body over 1 MB, declared or streamed, storing nothing', async () => {
    const before = await allMessages();
    const big = await env.sms('x'.repeat(1024 * 1024 + 10), { from: newPhone() });
    expect(big.status).toBe(413);
    const chunk = new TextEncoder().encode(`Body=${'y'.repeat(64 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({ pull: (c) => (sent++ < 20 ? c.enqueue(chunk) : c.close()) });
    const streamed = await fetch(env.webhookUrl, { method: 'POST', body: stream, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' }, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await rowsOf(big.messageSid)).toBe(0);
    expect(await allMessages()).toBe(before);
    // Just under the limit is fine.
    const ok = await env.sms('z'.repeat(900 * 1024), { from: newPhone() });
    expect(ok.status).toBe(200);
    expect(await rowsOf(ok.messageSid)).toBe(1);
    await taskOf(ok.messageSid);
  });
});

describe('Twilio webhook: messages and contacts', () => {
  it('stores an SMS as a message of the contact with that phone, in an SMS task answered from our number', async () => {
    const phone = newPhone();
    const res = await env.sms('My parcel never arrived', { from: phone });
    expect(res.status).toBe(200);
    const row = await rowOf(res.messageSid);
    expect(row).toMatchObject({ direction: 'INBOUND', status: 'RECEIVED', channel: 'SMS', body: 'My parcel never arrived', providerMessageId: res.messageSid });
    const contact = await prisma.contact.findFirstOrThrow({ where: { phone } });
    expect(row!.contactId).toBe(contact.id);
    expect(contact.name).toBeNull();
    const t = await task(await taskOf(res.messageSid));
    expect(t).toMatchObject({
      status: 'OPEN',
      channel: 'SMS',
      title: 'My parcel never arrived',
      contact: { id: contact.id, phone, name: null },
      conversation: { channel: 'SMS', address: phone, integration: { id: env.integrationId } },
    });
    expect(t.messages.map((m) => [m.direction, m.status, m.body])).toEqual([['INBOUND', 'RECEIVED', 'My parcel never arrived']]);
    const stored = await prisma.task.findUniqueOrThrow({ where: { id: t.id } });
    expect(stored).toMatchObject({ address: phone, ourAddress: SMS_NUMBER });
  });

  it('matches an existing contact by phone', async () => {
    const phone = newPhone();
    const known = await prisma.contact.create({ data: { workspaceId: env.admin.workspaceId, name: 'Known Customer', email: `known-${phones}@example.test`, phone } });
    const res = await env.sms('It is me again', { from: phone });
    const t = await task(await taskOf(res.messageSid));
    expect(t.contact).toEqual({ id: known.id, name: 'Known Customer', phone });
    expect(await prisma.contact.count({ where: { phone } })).toBe(1);
  });

  it('makes a whatsapp: message a WHATSAPP one, naming a new contact after the WhatsApp profile', async () => {
    const phone = newPhone();
    const res = await env.whatsapp('Hola, ¿tienen envío a Madrid?', { from: phone, profileName: 'Lucía Pérez' });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(EMPTY_TWIML);
    expect(await rowOf(res.messageSid)).toMatchObject({ channel: 'WHATSAPP' });
    const t = await task(await taskOf(res.messageSid));
    expect(t).toMatchObject({ channel: 'WHATSAPP', contact: { name: 'Lucía Pérez', phone }, conversation: { channel: 'WHATSAPP', address: phone } });
    expect(await prisma.task.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({ address: phone, ourAddress: WHATSAPP_NUMBER });
  });

  it('does not overwrite a contact\'s name with the WhatsApp profile name, but fills in a missing one', async () => {
    const named = newPhone();
    await prisma.contact.create({ data: { workspaceId: env.admin.workspaceId, name: 'Robert Smith', phone: named } });
    const a = await env.whatsapp('Hi', { from: named, profileName: 'Bobby 🎸' });
    await taskOf(a.messageSid);
    expect((await prisma.contact.findFirstOrThrow({ where: { phone: named } })).name).toBe('Robert Smith');

    // First by SMS (no name), then on WhatsApp with a profile name.
    const unnamed = newPhone();
    const b = await env.sms('Hello by SMS', { from: unnamed });
    await taskOf(b.messageSid);
    expect((await prisma.contact.findFirstOrThrow({ where: { phone: unnamed } })).name).toBeNull();
    const c = await env.whatsapp('Hello on WhatsApp', { from: unnamed, profileName: 'Nadia K.' });
    await taskOf(c.messageSid);
    const contacts = await prisma.contact.findMany({ where: { phone: unnamed } });
    expect(contacts.map((x) => x.name)).toEqual(['Nadia K.']);
    expect((await rowOf(b.messageSid))!.contactId).toBe((await rowOf(c.messageSid))!.contactId);
    // A later profile name changes nothing.
    const d = await env.whatsapp('Me again', { from: unnamed, profileName: 'Someone Else' });
    await taskOf(d.messageSid);
    expect((await prisma.contact.findFirstOrThrow({ where: { phone: unnamed } })).name).toBe('Nadia K.');
  });

  it('normalises the numbers to E.164', async () => {
    const bare = `1415555${String(2000 + ++phones).padStart(4, '0')}`; // no "+"
    const sid = nextMessageSid();
    const params = inboundSms({ accountSid: ACCOUNT_SID, from: bare, to: '+1 555 000 1111', body: 'Sent from an old gateway', messageSid: sid });
    expect((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, params)).status).toBe(200);
    const waSid = nextMessageSid();
    const wa = inboundWhatsApp({ accountSid: ACCOUNT_SID, from: `+44 7700 900${String(100 + phones).slice(-3)}`, to: WHATSAPP_NUMBER, body: 'Spaced out', messageSid: waSid });
    expect((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, wa)).status).toBe(200);
    const t1 = await prisma.task.findUniqueOrThrow({ where: { id: await taskOf(sid) }, include: { contact: true } });
    expect(t1).toMatchObject({ address: `+${bare}`, ourAddress: SMS_NUMBER, contact: { phone: `+${bare}` } });
    const t2 = await prisma.task.findUniqueOrThrow({ where: { id: await taskOf(waSid) }, include: { contact: true } });
    expect(t2.contact.phone).toMatch(/^\+447700900\d{3}$/);
    expect(t2).toMatchObject({ channel: 'WHATSAPP', address: t2.contact.phone, ourAddress: WHATSAPP_NUMBER });
  });

  it('stores a retried message once, whether the retries come one after another or at once', async () => {
    const phone = newPhone();
    const sid = nextMessageSid();
    const first = await env.sms('Retried by Twilio', { from: phone, messageSid: sid });
    const again = await env.sms('Retried by Twilio', { from: phone, messageSid: sid });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toMatch(EMPTY_TWIML);
    expect(await rowsOf(sid)).toBe(1);

    const concurrentSid = nextMessageSid();
    const token = 'same-idempotency-token';
    const answers = await Promise.all(Array.from({ length: 6 }, () => env.sms('Sent while Twilio timed out', { from: phone, messageSid: concurrentSid, idempotencyToken: token })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await rowsOf(concurrentSid)).toBe(1);

    // Concurrent retries of a stranger's first message: one contact, one message.
    const stranger = newPhone();
    const strangerSid = nextMessageSid();
    const firsts = await Promise.all(Array.from({ length: 6 }, () => env.whatsapp('First contact ever', { from: stranger, messageSid: strangerSid, profileName: 'New Person' })));
    expect(firsts.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await rowsOf(strangerSid)).toBe(1);
    expect((await prisma.contact.findMany({ where: { phone: stranger } })).map((c) => c.name)).toEqual(['New Person']);
    expect((await task(await taskOf(strangerSid))).messages.map((m) => m.body)).toEqual(['First contact ever']);

    const taskId = await taskOf(sid);
    expect(await taskOf(concurrentSid)).toBe(taskId);
    // A late retry after the task exists changes nothing either.
    expect((await env.sms('Retried by Twilio', { from: phone, messageSid: sid })).status).toBe(200);
    expect(await rowsOf(sid)).toBe(1);
    const contact = await prisma.contact.findFirstOrThrow({ where: { phone } });
    expect(await prisma.task.findMany({ where: { contactId: contact.id }, select: { id: true } })).toEqual([{ id: taskId }]);
    expect((await task(taskId)).messages.map((m) => m.body)).toEqual(['Retried by Twilio', 'Sent while Twilio timed out']);
  });

  it('keeps MMS and WhatsApp media as attachments, with their type and Twilio\'s URL', async () => {
    const phone = newPhone();
    const mediaBase = (sid: string) => `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media`;
    const mmsSid = nextMessageSid('MM');
    const res = await env.sms('', {
      from: phone, messageSid: mmsSid,
      media: [{ url: `${mediaBase(mmsSid)}/ME${'1'.repeat(32)}`, contentType: 'image/jpeg' }, { url: `${mediaBase(mmsSid)}/ME${'2'.repeat(32)}`, contentType: 'application/pdf' }],
    });
    expect(res.status).toBe(200);
    const t = await task(await taskOf(mmsSid));
    expect(t.title).toBe('Attachment');
    expect(t.messages[0]).toMatchObject({ body: '' });
    expect(t.messages[0]!.attachments).toEqual([
      { name: `ME${'1'.repeat(32)}.jpg`, contentType: 'image/jpeg', url: `${mediaBase(mmsSid)}/ME${'1'.repeat(32)}` },
      { name: `ME${'2'.repeat(32)}.pdf`, contentType: 'application/pdf', url: `${mediaBase(mmsSid)}/ME${'2'.repeat(32)}` },
    ]);
    const waSid = nextMessageSid('MM');
    await env.whatsapp('Voice note', { from: phone, messageSid: waSid, media: [{ url: `${mediaBase(waSid)}/ME${'3'.repeat(32)}`, contentType: 'audio/ogg' }] });
    const w = await task(await taskOf(waSid));
    expect(w.messages.map((m) => [m.body, m.attachments])).toEqual([['Voice note', [{ name: `ME${'3'.repeat(32)}.ogg`, contentType: 'audio/ogg', url: `${mediaBase(waSid)}/ME${'3'.repeat(32)}` }]]]);
  });

  it('drops (with 200) messages from a teammate\'s phone, on SMS and WhatsApp, and from short codes', async () => {
    const before = await allMessages();
    const contacts = await prisma.contact.count();
    const a = await env.sms('Testing our own number', { from: TEAMMATE_PHONE });
    const b = await env.whatsapp('Testing WhatsApp too', { from: TEAMMATE_PHONE, profileName: 'Tom' });
    const c = await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, inboundSms({ accountSid: ACCOUNT_SID, from: '+1 (415) 555-0199', to: SMS_NUMBER, body: 'Formatted differently', messageSid: nextMessageSid() }));
    const shortCode = await env.sms('Your verification code is 123456', { from: '45678' });
    for (const r of [a, b, c, shortCode]) {
      expect(r.status).toBe(200);
      expect(r.body).toMatch(EMPTY_TWIML);
    }
    expect(await rowsOf(a.messageSid)).toBe(0);
    expect(await rowsOf(b.messageSid)).toBe(0);
    expect(await rowsOf(shortCode.messageSid)).toBe(0);
    await sleep(1_500); // past the quiet period: nothing shows up late either
    expect(await allMessages()).toBe(before);
    expect(await prisma.contact.count()).toBe(contacts);
    expect(await prisma.contact.count({ where: { phone: TEAMMATE_PHONE } })).toBe(0);
  });
});

describe('Twilio webhook: bundling into tasks', () => {
  it('turns a burst of SMS into one task, published live; the same person on WhatsApp gets another', async () => {
    const phone = newPhone();
    const client = wsClient(env.t.wsUrl, env.admin.token);
    const created = collect<{ taskCreated: TaskView }>(client, `subscription { taskCreated { ${TASK_FIELDS} } }`);
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(1));
    const burst = ['Hi, I was charged twice', 'Order 4471', 'Can you refund one?'];
    const sids: string[] = [];
    for (const body of burst) {
      const res = await env.sms(body, { from: phone });
      expect(res.status).toBe(200);
      sids.push(res.messageSid);
    }
    const wa = await env.whatsapp('Also writing here in case SMS is slow', { from: phone, profileName: 'Chris' });

    const smsTask = await eventually(() => {
      const found = created.events.map((e) => e.taskCreated).find((t) => t.title === 'Hi, I was charged twice');
      expect(found).toBeDefined();
      return found!;
    }, { timeoutMs: 20_000 });
    expect(smsTask).toMatchObject({ channel: 'SMS', status: 'OPEN', contact: { phone }, conversation: { channel: 'SMS', address: phone } });
    expect(smsTask.messages.map((m) => m.body)).toEqual(burst);
    const ids = await Promise.all(sids.map(taskOf));
    expect(new Set(ids)).toEqual(new Set([smsTask.id]));

    const waTaskId = await taskOf(wa.messageSid);
    expect(waTaskId).not.toBe(smsTask.id);
    const waTask = await task(waTaskId);
    expect(waTask).toMatchObject({ channel: 'WHATSAPP', contact: { id: smsTask.contact.id }, conversation: { channel: 'WHATSAPP' } });
    expect(waTask.messages.map((m) => m.body)).toEqual(['Also writing here in case SMS is slow']);
    await eventually(() => expect(created.events.map((e) => e.taskCreated.id)).toContain(waTaskId));
    expect(created.events.filter((e) => e.taskCreated.id === smsTask.id)).toHaveLength(1);
    expect(created.errors).toEqual([]);
    await closeWs(client, created);
  });

  it('adds a later SMS to the OPEN task (taskUpdated), and starts a new task once it is DONE', async () => {
    const phone = newPhone();
    const first = await env.sms('Can I change my delivery address?', { from: phone });
    const taskId = await taskOf(first.messageSid);

    const client = wsClient(env.t.wsUrl, env.admin.token);
    const updated = collect<{ taskUpdated: { id: string; messages: { body: string }[] } }>(client, 'subscription { taskUpdated { id messages { body } } }');
    const created = collect<{ taskCreated: { id: string } }>(client, 'subscription { taskCreated { id } }');
    await eventually(() => expect(env.t.app.events.subscriberCount).toBeGreaterThanOrEqual(2));

    const later = await env.sms('It is 12 Elm Street', { from: phone });
    // Joins at once: it is in the task as soon as it is stored, no quiet period.
    expect((await rowOf(later.messageSid))?.taskId).toBe(taskId);
    await eventually(() => expect(updated.events.map((e) => e.taskUpdated)).toContainEqual({ id: taskId, messages: [{ body: 'Can I change my delivery address?' }, { body: 'It is 12 Elm Street' }] }));
    await sleep(1_500);
    expect(created.events).toEqual([]);
    const contact = await prisma.contact.findFirstOrThrow({ where: { phone } });
    expect(await prisma.task.count({ where: { contactId: contact.id } })).toBe(1);

    await gqlOk(env.t.url, 'mutation($id: ID!) { setTaskStatus(taskId: $id, status: DONE) { id status } }', { id: taskId }, env.admin.token);
    const afterDone = await env.sms('One more thing: can you deliver on Saturday?', { from: phone });
    expect((await rowOf(afterDone.messageSid))?.taskId).toBeNull();
    const newTaskId = await taskOf(afterDone.messageSid);
    expect(newTaskId).not.toBe(taskId);
    await eventually(() => expect(created.events.map((e) => e.taskCreated.id)).toEqual([newTaskId]));
    expect((await task(newTaskId)).messages.map((m) => m.body)).toEqual(['One more thing: can you deliver on Saturday?']);
    expect((await task(taskId)).messages.map((m) => m.body)).toEqual(['Can I change my delivery address?', 'It is 12 Elm Street']);
    updated.stop();
    await closeWs(client, created);
  });

  it('makes one contact and one task of a new customer\'s messages arriving all at once', async () => {
    const phone = newPhone();
    const bodies = ['Part 1 of a long text', 'Part 2 of a long text', 'Part 3 of a long text', 'Part 4 of a long text', 'Part 5 of a long text'];
    const answers = await Promise.all(bodies.map((body) => env.sms(body, { from: phone })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const ids = await Promise.all(answers.map((a) => taskOf(a.messageSid)));
    expect(new Set(ids).size).toBe(1);
    expect(await prisma.contact.count({ where: { phone } })).toBe(1);
    expect((await task(ids[0]!)).messages.map((m) => m.body).sort()).toEqual(bodies);
  });

  it('keeps conversations with different people and different numbers of ours apart', async () => {
    const [a, b] = [newPhone(), newPhone()];
    // Another number of the account, not configured in Parley: still a conversation of its own.
    const other = '+15550006666';
    const sids = [
      (await env.sms('From A', { from: a })).messageSid,
      (await env.sms('From B', { from: b })).messageSid,
    ];
    const toOther = nextMessageSid();
    expect((await postTwilioWebhook(env.webhookUrl, AUTH_TOKEN, inboundSms({ accountSid: ACCOUNT_SID, from: a, to: other, body: 'From A to the other number', messageSid: toOther }))).status).toBe(200);
    const [ta, tb, tOther] = await Promise.all([...sids, toOther].map(taskOf));
    expect(new Set([ta, tb, tOther]).size).toBe(3);
    expect(await prisma.task.findUniqueOrThrow({ where: { id: tOther! } })).toMatchObject({ channel: 'SMS', address: a, ourAddress: other });
  });
});

describe('Twilio webhook behind a proxy (PUBLIC_URL)', () => {
  const PUBLIC = 'https://parley.example.com';
  let proxied: TwilioEnv;
  let db: PrismaClient;
  let localUrl: string;
  let publicUrl: string;

  beforeAll(async () => {
    proxied = await startTwilioEnv({ env: { PUBLIC_URL: PUBLIC } });
    db = prismaFor(proxied.t.databaseUrl);
    localUrl = `${proxied.t.url}/webhooks/twilio/${proxied.integrationId}`;
    publicUrl = `${PUBLIC}/webhooks/twilio/${proxied.integrationId}`;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await proxied?.stop();
  });

  const post = (signatureUrl: string, body = 'via the proxy') => {
    const sid = nextMessageSid();
    return postTwilioWebhook(localUrl, AUTH_TOKEN, inboundSms({ accountSid: ACCOUNT_SID, from: CUSTOMER_PHONE, to: SMS_NUMBER, body, messageSid: sid }), { signatureUrl }).then((r) => ({ ...r, sid }));
  };
  const count = (sid: string) => db.message.count({ where: { providerMessageId: sid } });

  it('verifies the signature over the URL Twilio called, built from PUBLIC_URL', async () => {
    expect(proxied.webhookUrl).toBe(publicUrl);
    const ok = await post(publicUrl);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(EMPTY_TWIML);
    expect(await count(ok.sid)).toBe(1);
    // Twilio may sign the default port explicitly.
    const withPort = await post(`${PUBLIC}:443/webhooks/twilio/${proxied.integrationId}`);
    expect(withPort.status).toBe(200);
    expect(await count(withPort.sid)).toBe(1);
    await taskOfProviderMessage(db, proxied.integrationId, ok.sid);
  });

  it('gives Twilio status callback URLs under PUBLIC_URL, and verifies the callbacks over them', async () => {
    const inbound = await post(publicUrl, 'Please confirm by text');
    const taskId = await taskOfProviderMessage(db, proxied.integrationId, inbound.sid);
    const queued = await gqlOk<{ replyToTask: { id: string } }>(proxied.t.url, 'mutation($t: ID!) { replyToTask(taskId: $t, body: "Confirmed.") { id } }', { t: taskId }, proxied.admin.token);
    const id = queued.replyToTask.id;
    const message = await eventually(() => {
      const [m] = proxied.twilio.sent.filter((x) => x.statusCallback?.includes(id));
      expect(m).toBeDefined();
      return m!;
    }, { timeoutMs: 20_000 });
    expect(message.statusCallback).toBe(`${publicUrl}/status?message=${id}`);
    await eventually(async () => expect((await db.message.findUniqueOrThrow({ where: { id } })).status).toBe('SENT'));
    const local = `${localUrl}/status?message=${id}`;
    // Signed over the local address: refused.
    expect((await proxied.twilio.sendStatus(message.sid, 'delivered', { url: local, signatureUrl: local })).status).toBe(403);
    expect((await db.message.findUniqueOrThrow({ where: { id } })).status).toBe('SENT');
    // Signed over the URL Twilio was given: taken.
    expect((await proxied.twilio.sendStatus(message.sid, 'delivered', { url: local, signatureUrl: message.statusCallback! })).status).toBe(204);
    expect((await db.message.findUniqueOrThrow({ where: { id } })).status).toBe('DELIVERED');
  });

  it('refuses a signature over the address the request reached locally', async () => {
    for (const url of [localUrl, localUrl.replace('127.0.0.1', 'localhost'), `http://parley.example.com/webhooks/twilio/${proxied.integrationId}`]) {
      const res = await post(url, `signed over ${url}`);
      expect(res.status, url).toBe(403);
      expect(await count(res.sid)).toBe(0);
    }
  });
});
