// The fake SendGrid (test/fakes/sendgrid) driven by the official SDKs, so that
// tests written against it exercise the requests and error objects production
// code sees: @sendgrid/client's Client and @sendgrid/mail's MailService. The
// webhook helpers are checked against node's crypto and busboy, the way a
// receiver would consume them.
import { Client } from '@sendgrid/client';
import { MailService, type ResponseError } from '@sendgrid/mail';
import busboy from 'busboy';
import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  event,
  eventsForMail,
  generateWebhookKeys,
  inboundParseForm,
  postEventWebhook,
  postInboundParse,
  publishedExampleForm,
  publishedExamplePayload,
  signSendGridWebhook,
  startFakeSendGrid,
  verifySendGridSignature,
  type FakeSendGrid,
} from '../fakes/sendgrid/index.ts';

const SEND_KEY = 'SG.parley-send.c2VjcmV0LXNlbmQ';
const READ_ONLY_KEY = 'SG.parley-ro.c2VjcmV0LXJv';
const INVALID_GRANT = [{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked' }];

let fake: FakeSendGrid;

beforeAll(async () => {
  fake = await startFakeSendGrid();
  fake.addKey({ key: SEND_KEY, scopes: ['mail.send', 'scopes.read'] });
  fake.addKey({ key: READ_ONLY_KEY, scopes: ['scopes.read'] });
});

afterAll(async () => {
  await fake?.close();
});

/** A Client aimed at the fake. setApiKey resets baseUrl to api.sendgrid.com, so baseUrl goes after it. */
function client(key: string): Client {
  const c = new Client();
  c.setApiKey(key);
  c.setDefaultRequest('baseUrl', fake.url);
  return c;
}

/** A MailService aimed at the fake through its own client (the `client` property is missing from the .d.ts). */
function mailer(key: string): MailService {
  const mail = new MailService();
  mail.setApiKey(key);
  (mail as unknown as { client: Client }).client.setDefaultRequest('baseUrl', fake.url);
  return mail;
}

async function rejection(p: Promise<unknown>): Promise<ResponseError & { code: number | string }> {
  try {
    await p;
  } catch (err) {
    return err as ResponseError & { code: number | string };
  }
  throw new Error('expected a rejection');
}

const errorsOf = (err: ResponseError) => (err.response.body as unknown as { errors: { message: string; field: string | null; help?: string | null }[] }).errors;

const baseMail = {
  to: 'customer@example.com',
  from: { email: 'support@acme.test', name: 'Acme Support' },
  subject: 'Re: Order 1042',
  text: 'Your order ships tomorrow.',
};

describe('fake SendGrid v3 API through @sendgrid/client', () => {
  it('answers /v3/scopes with the key’s scopes, and 401 for unknown, revoked or missing keys', async () => {
    const [res, body] = await client(SEND_KEY).request({ method: 'GET', url: '/v3/scopes' });
    expect(res.statusCode).toBe(200);
    expect(body).toEqual({ scopes: ['mail.send', 'scopes.read'] });

    const unknown = await rejection(client('SG.nope.nope').request({ method: 'GET', url: '/v3/scopes' }));
    expect(unknown.code).toBe(401);
    expect(errorsOf(unknown)).toEqual(INVALID_GRANT);

    fake.addKey({ key: 'SG.gone.gone', scopes: ['mail.send'] });
    await client('SG.gone.gone').request({ method: 'GET', url: '/v3/scopes' });
    fake.revokeKey('SG.gone.gone');
    const revoked = await rejection(client('SG.gone.gone').request({ method: 'GET', url: '/v3/scopes' }));
    expect(revoked.code).toBe(401);
    expect(errorsOf(revoked)).toEqual(INVALID_GRANT);

    // A Client never given a key sends no Authorization header at all.
    const anonymous = new Client().setDefaultRequest('baseUrl', fake.url);
    const missing = await rejection(anonymous.request({ method: 'GET', url: '/v3/scopes' }));
    expect(missing.code).toBe(401);
    expect(errorsOf(missing)).toEqual([{ field: null, message: 'authorization required' }]);

    expect(fake.calls.filter((c) => c.path === '/v3/scopes').map((c) => c.status)).toEqual([200, 401, 200, 401, 401]);
  });

  it('rejects other paths with 404 and wrong methods with 405', async () => {
    expect((await rejection(client(SEND_KEY).request({ method: 'GET', url: '/v3/templates' }))).code).toBe(404);
    expect((await rejection(client(SEND_KEY).request({ method: 'GET', url: '/v3/mail/send' }))).code).toBe(405);
  });
});

describe('fake SendGrid mail/send through @sendgrid/mail', () => {
  it('accepts a mail with 202 + X-Message-Id and records the payload exactly as posted', async () => {
    const before = fake.sent.length;
    const [res, body] = await mailer(SEND_KEY).send({
      ...baseMail,
      html: '<p>Your order ships tomorrow.</p>',
      replyTo: { email: 'reply+c_42@inbound.acme.test', name: 'Acme Support' },
      headers: {
        'Message-ID': '<m-43@acme.test>',
        'In-Reply-To': '<m-41@customer.example.com>',
        References: '<m-40@customer.example.com> <m-41@customer.example.com>',
      },
      customArgs: { parley_message_id: 'msg_43', parley_conversation_id: 'c_42' },
      categories: ['parley'],
    });
    expect(res.statusCode).toBe(202);
    expect(body).toBe('');
    expect(res.headers['x-message-id']).toMatch(/^[A-Za-z0-9_-]{22}$/);

    expect(fake.sent).toHaveLength(before + 1);
    const sent = fake.sent.at(-1)!;
    expect(sent.messageId).toBe(res.headers['x-message-id']);
    expect(sent.apiKey).toBe(SEND_KEY);
    expect(sent.headers.authorization).toBe(`Bearer ${SEND_KEY}`);
    expect(sent.body).toEqual({
      from: { email: 'support@acme.test', name: 'Acme Support' },
      subject: 'Re: Order 1042',
      personalizations: [{ to: [{ email: 'customer@example.com' }] }],
      content: [
        { type: 'text/plain', value: 'Your order ships tomorrow.' },
        { type: 'text/html', value: '<p>Your order ships tomorrow.</p>' },
      ],
      reply_to: { email: 'reply+c_42@inbound.acme.test', name: 'Acme Support' },
      headers: {
        'Message-ID': '<m-43@acme.test>',
        'In-Reply-To': '<m-41@customer.example.com>',
        References: '<m-40@customer.example.com> <m-41@customer.example.com>',
      },
      custom_args: { parley_message_id: 'msg_43', parley_conversation_id: 'c_42' },
      categories: ['parley'],
    });
    // @sendgrid/mail also copies the mail's custom headers onto the HTTP request itself.
    expect(sent.headers['in-reply-to']).toBe('<m-41@customer.example.com>');
  });

  it('works with a MailService given a pre-configured Client (setClient)', async () => {
    const mail = new MailService();
    mail.setClient(client(SEND_KEY));
    const [res] = await mail.send(baseMail);
    expect(res.statusCode).toBe(202);
    expect(fake.sent.at(-1)!.messageId).toBe(res.headers['x-message-id']);
  });

  it('answers 403 access forbidden to a key without mail.send and records nothing', async () => {
    const before = fake.sent.length;
    const err = await rejection(mailer(READ_ONLY_KEY).send(baseMail));
    expect(err.code).toBe(403);
    expect(errorsOf(err)).toEqual([{ field: null, message: 'access forbidden' }]);
    expect(fake.sent).toHaveLength(before);
  });

  it('answers 400 naming each invalid field', async () => {
    const badTo = await rejection(mailer(SEND_KEY).send({ ...baseMail, to: 'not-an-address' }));
    expect(badTo.code).toBe(400);
    expect(errorsOf(badTo)).toEqual([
      {
        field: 'personalizations.0.to.0.email',
        message: 'Does not contain a valid address.',
        help: 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to',
      },
    ]);

    const reserved = await rejection(mailer(SEND_KEY).send({ ...baseMail, headers: { 'Reply-To': 'x@example.com', 'X-Ok': 'fine' } }));
    expect(reserved.code).toBe(400);
    expect(errorsOf(reserved).map((e) => e.field)).toEqual(['headers']);
    expect(errorsOf(reserved)[0]!.message).toContain('Reply-To');

    const badReplyTo = await rejection(mailer(SEND_KEY).send({ ...baseMail, replyTo: 'nobody' }));
    expect(errorsOf(badReplyTo).map((e) => e.field)).toEqual(['reply_to.email']);

    // Raw payloads the helper library would not build.
    const c = client(SEND_KEY);
    const empty = await rejection(c.request({ method: 'POST', url: '/v3/mail/send', body: {} }));
    expect(empty.code).toBe(400);
    expect(errorsOf(empty).map((e) => e.field)).toEqual(['personalizations', 'from.email', 'subject', 'content']);

    const mixed = await rejection(
      c.request({
        method: 'POST',
        url: '/v3/mail/send',
        body: {
          personalizations: [{ to: [{ email: 'a@example.com' }], cc: [{ email: 'A@example.com' }], subject: 'hi' }],
          from: { email: 'support@acme.test' },
          content: [
            { type: 'text/html', value: '<p>x</p>' },
            { type: 'text/plain', value: '' },
          ],
          reply_to_list: [{ email: 'ok@acme.test' }, { email: 'broken' }],
          custom_args: { n: 5 },
          headers: { 'X-Count': 3 },
        },
      }),
    );
    expect(errorsOf(mixed).map((e) => e.field)).toEqual([
      'personalizations.0',
      'content.1.value',
      'content',
      'reply_to_list.1.email',
      'headers.X-Count',
      'custom_args.n',
    ]);
    expect(errorsOf(mixed).find((e) => e.field === 'custom_args.n')!.message).toBe('Invalid type. Expected: string, given: integer.');

    // Subjects per personalization and a template stand in for the top-level subject and content.
    const [ok] = await c.request({
      method: 'POST',
      url: '/v3/mail/send',
      body: { personalizations: [{ to: [{ email: 'a@example.com' }], subject: 'hi' }], from: { email: 'support@acme.test' }, template_id: 'd-123' },
    });
    expect(ok.statusCode).toBe(202);
  });

  it('answers 413 to a body over 30 MB', async () => {
    const err = await rejection(mailer(SEND_KEY).send({ ...baseMail, text: 'x'.repeat(31 * 1024 * 1024) }));
    expect(err.code).toBe(413);
  });
});

describe('fake SendGrid injected failures', () => {
  it('answers queued failures in order: 429 with Retry-After, then 500s, then normal service', async () => {
    const mail = mailer(SEND_KEY);
    const before = fake.sent.length;
    fake.failNext('mail.send', { status: 429, retryAfterSeconds: 7 });
    fake.failNext('mail.send', { status: 500, errors: [{ message: 'upstream timeout', field: null }] }, 2);

    const limited = await rejection(mail.send(baseMail));
    expect(limited.code).toBe(429);
    expect(limited.response.headers['retry-after']).toBe('7');
    expect(Number(limited.response.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(errorsOf(limited)).toEqual([{ field: null, message: 'too many requests' }]);

    for (let i = 0; i < 2; i++) {
      const failed = await rejection(mail.send(baseMail));
      expect(failed.code).toBe(500);
      expect(errorsOf(failed)).toEqual([{ message: 'upstream timeout', field: null }]);
    }
    expect(fake.sent).toHaveLength(before);

    const [res] = await mail.send(baseMail);
    expect(res.statusCode).toBe(202);
    expect(fake.calls.slice(-4).map((c) => c.status)).toEqual([429, 500, 500, 202]);
  });

  it('fails /v3/scopes independently of mail/send', async () => {
    fake.failNext('scopes', { status: 503 });
    expect((await rejection(client(SEND_KEY).request({ method: 'GET', url: '/v3/scopes' }))).code).toBe(503);
    const [res] = await client(SEND_KEY).request({ method: 'GET', url: '/v3/scopes' });
    expect(res.statusCode).toBe(200);
  });

  it('lostResponse records the mail but drops the connection before the 202', async () => {
    const before = fake.sent.length;
    fake.failNext('mail.send', { status: 202, lostResponse: true });
    const err = await rejection(mailer(SEND_KEY).send({ ...baseMail, customArgs: { parley_message_id: 'msg_lost' } }));
    expect(err.code).toBe('ECONNRESET');
    expect(fake.sent).toHaveLength(before + 1);
    expect(fake.sent.at(-1)!.body.custom_args).toEqual({ parley_message_id: 'msg_lost' });
    expect(fake.calls.at(-1)).toMatchObject({ path: '/v3/mail/send', status: 0 });

    // A request SendGrid would have refused is not recorded even when its answer is lost.
    fake.failNext('mail.send', { status: 202, lostResponse: true });
    expect((await rejection(mailer('SG.nope.nope').send(baseMail))).code).toBe('ECONNRESET');
    expect(fake.sent).toHaveLength(before + 1);
  });
});

interface Captured {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A stand-in webhook receiver that keeps the raw bytes, as signature checks need. */
async function receiver(): Promise<{ url: string; requests: Captured[]; server: Server }> {
  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests, server };
}

/** What a receiver does: verify the ECDSA signature over timestamp + raw body with the console's public key. */
function receiverVerifies(publicKey: string, req: Captured): boolean {
  const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  const timestamp = req.headers['x-twilio-email-event-webhook-timestamp'] as string;
  const signature = req.headers['x-twilio-email-event-webhook-signature'] as string;
  return verify('sha256', Buffer.concat([Buffer.from(timestamp), req.raw]), key, Buffer.from(signature, 'base64'));
}

describe('Event Webhook helpers', () => {
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hook = await receiver();
  });
  afterAll(async () => {
    await new Promise((r) => hook.server.close(r));
  });

  it('uses SendGrid’s scheme: its own published test vector verifies', () => {
    // sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js
    const publicKey =
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==';
    const signature = 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=';
    const payload = JSON.stringify({ category: 'example_payload', event: 'test_event', message_id: 'message_id' });
    expect(verifySendGridSignature(publicKey, '1588788367', payload, signature)).toBe(true);
    expect(verifySendGridSignature(publicKey, '1588788368', payload, signature)).toBe(false);
  });

  it('signs with a key whose public half verifies with node:crypto', () => {
    const keys = generateWebhookKeys();
    expect(keys.publicKey).toMatch(/^MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE[A-Za-z0-9+/]{86}==$/);
    const signature = signSendGridWebhook(keys.privateKey, '1700000000', '[{"event":"delivered"}]\r\n');
    const key = createPublicKey({ key: Buffer.from(keys.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(verify('sha256', Buffer.from('1700000000[{"event":"delivered"}]\r\n'), key, Buffer.from(signature, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from('1700000001[{"event":"delivered"}]\r\n'), key, Buffer.from(signature, 'base64'))).toBe(false);
  });

  it('posts signed events built from a recorded send; a bad signature does not verify', async () => {
    const [res] = await mailer(SEND_KEY).send({
      ...baseMail,
      cc: 'boss@example.com',
      customArgs: { parley_message_id: 'msg_50' },
      categories: ['parley'],
    });
    const sent = fake.sent.find((s) => s.messageId === res.headers['x-message-id'])!;
    const events = [
      ...eventsForMail(sent, 'processed'),
      ...eventsForMail(sent, 'delivered'),
      event('bounce', { email: 'boss@example.com', messageId: sent.messageId, reason: '550 5.1.1 no such user', status: '5.1.1', type: 'bounce', customArgs: { parley_message_id: 'msg_50' } }),
      event('dropped', { email: 'customer@example.com', messageId: sent.messageId, reason: 'Bounced Address' }),
      event('deferred', { email: 'customer@example.com', messageId: sent.messageId, attempt: 2 }),
      event('open', { email: 'customer@example.com', messageId: sent.messageId }),
    ];
    expect(events.map((e) => [e.event, e.email])).toEqual([
      ['processed', 'customer@example.com'],
      ['processed', 'boss@example.com'],
      ['delivered', 'customer@example.com'],
      ['delivered', 'boss@example.com'],
      ['bounce', 'boss@example.com'],
      ['dropped', 'customer@example.com'],
      ['deferred', 'customer@example.com'],
      ['open', 'customer@example.com'],
    ]);
    for (const e of events) {
      expect(e.sg_message_id.startsWith(`${sent.messageId}.`)).toBe(true);
      expect(e.sg_event_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(e.timestamp).toBeTypeOf('number');
    }
    expect(events[0]).toMatchObject({ parley_message_id: 'msg_50', category: ['parley'], 'smtp-id': `<${sent.messageId}@geopod-ismtpd-3-0>` });
    expect(events[4]).toMatchObject({ reason: '550 5.1.1 no such user', status: '5.1.1', type: 'bounce', parley_message_id: 'msg_50' });
    expect(events[5]).toMatchObject({ reason: 'Bounced Address', status: '5.0.0' });
    expect(events[6]).toMatchObject({ attempt: '2' });
    expect(events[7]).not.toHaveProperty('smtp-id');
    expect(new Set(events.map((e) => e.sg_event_id)).size).toBe(events.length);

    const keys = generateWebhookKeys();
    const good = await postEventWebhook(hook.url, events, { privateKey: keys.privateKey, timestamp: '1700000000' });
    expect(good).toEqual({ status: 200, body: 'ok' });
    const delivered = hook.requests.at(-1)!;
    expect(delivered.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(delivered.headers['x-twilio-email-event-webhook-timestamp']).toBe('1700000000');
    expect(JSON.parse(delivered.raw.toString('utf8'))).toEqual(events);
    expect(delivered.raw.toString('utf8').endsWith(']\r\n')).toBe(true);
    expect(receiverVerifies(keys.publicKey, delivered)).toBe(true);

    await postEventWebhook(hook.url, events, { privateKey: keys.privateKey, badSignature: true });
    expect(receiverVerifies(keys.publicKey, hook.requests.at(-1)!)).toBe(false);

    await postEventWebhook(hook.url, events);
    expect(hook.requests.at(-1)!.headers).not.toHaveProperty('x-twilio-email-event-webhook-signature');
  });
});

interface ParsedForm {
  /** Field bytes, undecoded: Inbound Parse's charset lives in the `charsets` field, not in the part. */
  fields: Map<string, Buffer>;
  files: Map<string, { filename: string; mimeType: string; data: Buffer }>;
}

function parseMultipart(body: Buffer, contentType: string): Promise<ParsedForm> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, Buffer>();
    const files = new Map<string, { filename: string; mimeType: string; data: Buffer }>();
    // latin1 maps bytes 1:1 to code units, so the field bytes survive busboy's decoding.
    const bb = busboy({ headers: { 'content-type': contentType }, defCharset: 'latin1', defParamCharset: 'utf8' });
    bb.on('field', (name, value) => fields.set(name, Buffer.from(value, 'latin1')));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => files.set(name, { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) }));
    });
    bb.on('close', () => resolve({ fields, files }));
    bb.on('error', reject);
    bb.end(body);
  });
}

const text = (form: ParsedForm, name: string) => form.fields.get(name)?.toString('utf8');

describe('Inbound Parse helpers', () => {
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0x00, 0xff, 0x10, 0x80]), Buffer.from('\n%%EOF')]);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01]);

  it('builds the default-mode multipart fields, parsed back by busboy', async () => {
    const form = inboundParseForm({
      from: 'Zoë Example <zoe@example.com>',
      to: 'Support <support@inbound.acme.test>',
      cc: 'boss@example.com',
      subject: 'Re: Order 1042 — déjà vu',
      text: 'Thanks!\n\n> earlier',
      html: '<p>Thanks!</p><img src="cid:logo@x">',
      headers: {
        'Message-ID': '<reply-1@example.com>',
        'In-Reply-To': '<m-43@acme.test>',
        References: '<m-41@customer.example.com> <m-43@acme.test>',
      },
      attachments: [
        { filename: 'invoice.pdf', contentType: 'application/pdf', content: pdf },
        { filename: 'logo.png', contentType: 'image/png', content: png, contentId: 'logo@x' },
      ],
      spamScore: 0.4,
    });
    expect(form.contentType).toBe('multipart/form-data; boundary=xYzZY');

    const parsed = await parseMultipart(form.body, form.contentType);
    expect([...parsed.fields.keys()]).toEqual([
      'headers',
      'dkim',
      'content-ids',
      'to',
      'cc',
      'html',
      'from',
      'text',
      'sender_ip',
      'spam_report',
      'envelope',
      'attachments',
      'subject',
      'spam_score',
      'attachment-info',
      'charsets',
      'SPF',
    ]);
    expect(text(parsed, 'from')).toBe('Zoë Example <zoe@example.com>');
    expect(text(parsed, 'subject')).toBe('Re: Order 1042 — déjà vu');
    expect(text(parsed, 'text')).toBe('Thanks!\n\n> earlier');
    expect(text(parsed, 'cc')).toBe('boss@example.com');
    expect(text(parsed, 'dkim')).toBe('{@example.com : pass}');
    expect(text(parsed, 'SPF')).toBe('pass');
    expect(text(parsed, 'spam_score')).toBe('0.400');
    expect(text(parsed, 'attachments')).toBe('2');
    expect(JSON.parse(text(parsed, 'envelope')!)).toEqual({ to: ['support@inbound.acme.test', 'boss@example.com'], from: 'zoe@example.com' });
    expect(JSON.parse(text(parsed, 'content-ids')!)).toEqual({ 'logo@x': 'attachment2' });
    expect(JSON.parse(text(parsed, 'attachment-info')!)).toEqual({
      attachment1: { filename: 'invoice.pdf', name: 'invoice.pdf', type: 'application/pdf' },
      attachment2: { filename: 'logo.png', name: 'logo.png', type: 'image/png', 'content-id': 'logo@x' },
    });
    expect(JSON.parse(text(parsed, 'charsets')!)).toEqual({ to: 'UTF-8', cc: 'UTF-8', html: 'UTF-8', subject: 'UTF-8', from: 'UTF-8', text: 'UTF-8' });

    const headers = text(parsed, 'headers')!;
    expect(headers.endsWith('\r\n')).toBe(true);
    expect(headers.replace(/\r\n/g, '')).not.toContain('\n');
    const lines = headers.trimEnd().split('\r\n');
    const names = lines.map((l) => l.slice(0, l.indexOf(':')));
    expect(names.filter((n) => n === 'Received')).toHaveLength(2);
    for (const n of ['DKIM-Signature', 'MIME-Version', 'From', 'To', 'Cc', 'Subject', 'Date', 'Message-ID', 'In-Reply-To', 'References', 'Content-Type']) {
      expect(names).toContain(n);
    }
    expect(lines).toContain('Message-ID: <reply-1@example.com>');
    expect(lines).toContain('In-Reply-To: <m-43@acme.test>');
    expect(lines).toContain(`Subject: =?UTF-8?B?${Buffer.from('Re: Order 1042 — déjà vu').toString('base64')}?=`);
    expect(lines.find((l) => l.startsWith('From: '))).toMatch(/^From: =\?UTF-8\?B\?[^?]+\?= <zoe@example\.com>$/);
    expect(lines.find((l) => l.startsWith('Content-Type: '))).toMatch(/^Content-Type: multipart\/mixed; boundary="/);

    expect(parsed.files.get('attachment1')).toEqual({ filename: 'invoice.pdf', mimeType: 'application/pdf', data: pdf });
    expect(parsed.files.get('attachment2')).toEqual({ filename: 'logo.png', mimeType: 'image/png', data: png });
  });

  it('omits absent parts and encodes fields in their announced charset', async () => {
    const form = inboundParseForm({
      from: 'eve@example.com',
      to: 'support@inbound.acme.test',
      subject: 'Café',
      text: 'Crème brûlée',
      charsets: { text: 'iso-8859-1', subject: 'iso-8859-1' },
      lineEnding: '\n',
    });
    const parsed = await parseMultipart(form.body, form.contentType);
    for (const absent of ['cc', 'html', 'content-ids', 'attachment-info']) expect(parsed.fields.has(absent)).toBe(false);
    expect(parsed.files.size).toBe(0);
    expect(text(parsed, 'attachments')).toBe('0');
    expect(JSON.parse(text(parsed, 'charsets')!)).toMatchObject({ text: 'iso-8859-1', subject: 'iso-8859-1', from: 'UTF-8' });
    expect(parsed.fields.get('text')).toEqual(Buffer.from('Crème brûlée', 'latin1'));
    expect(parsed.fields.get('subject')!.toString('latin1')).toBe('Café');
    expect(text(parsed, 'headers')).not.toContain('\r');
    expect(text(parsed, 'headers')).toContain('Content-Type: text/plain; charset="UTF-8"\n');
  });

  it('reproduces SendGrid’s published example payload', async () => {
    const form = publishedExampleForm();
    const parsed = await parseMultipart(form.body, form.contentType);
    expect(Object.fromEntries([...parsed.fields].map(([k, v]) => [k, v.toString('utf8')]))).toEqual(publishedExamplePayload);
    expect(Object.keys(publishedExamplePayload)).toEqual([
      'headers',
      'dkim',
      'to',
      'html',
      'from',
      'text',
      'sender_ip',
      'spam_report',
      'envelope',
      'attachments',
      'subject',
      'spam_score',
      'charsets',
      'SPF',
    ]);
    expect(publishedExamplePayload.headers).toContain('In-Reply-To: <CAGsruKux7HKgwztSSWCae8cMu71_pzgziWZRWYeYNo3aiCkjRw@mail.gmail.com>\n');
  });

  it('posts the form, optionally signed over the raw multipart body', async () => {
    const hook = await receiver();
    try {
      const keys = generateWebhookKeys();
      const form = inboundParseForm({ from: 'eve@example.com', to: 'support@inbound.acme.test', subject: 'Hello', text: 'Hi' });
      const res = await postInboundParse(hook.url, form, { privateKey: keys.privateKey, headers: { 'x-extra': '1' } });
      expect(res).toEqual({ status: 200, body: 'ok' });
      const got = hook.requests.at(-1)!;
      expect(got.raw.equals(form.body)).toBe(true);
      expect(got.headers['content-type']).toBe(form.contentType);
      expect(got.headers['x-extra']).toBe('1');
      expect(receiverVerifies(keys.publicKey, got)).toBe(true);

      await postInboundParse(hook.url, publishedExampleForm());
      expect(hook.requests.at(-1)!.headers).not.toHaveProperty('x-twilio-email-event-webhook-signature');
    } finally {
      await new Promise((r) => hook.server.close(r));
    }
  });
});
