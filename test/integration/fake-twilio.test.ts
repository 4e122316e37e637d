// The fake Twilio (test/fakes/twilio) driven by the official twilio SDK, so
// that tests written against it exercise the same requests, URLs and error
// handling as production, and its webhooks checked with the SDK's own
// signature validation.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inboundSms,
  inboundWhatsApp,
  nextMessageSid,
  postTwilioWebhook,
  randomSid,
  startFakeTwilio,
  twilioSignature,
  type FakeTwilio,
  type TwilioParams,
} from '../fakes/twilio/index.ts';

const ACCOUNT_SID = randomSid('AC');
const AUTH_TOKEN = 'acme-auth-token';
const OTHER_SID = randomSid('AC');
const OTHER_TOKEN = 'other-auth-token';
const OUR_NUMBER = '+15550001111';
const CUSTOMER = '+15557654321';
const WA_CUSTOMER = 'whatsapp:+447700900123';

interface Received {
  /** The URL as the receiver saw it (what Twilio signs when there is no proxy). */
  url: string;
  headers: IncomingHttpHeaders;
  params: TwilioParams;
}

/** A stand-in for the application's webhook endpoints: records form posts, answers empty TwiML. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params: TwilioParams = {};
      for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
        const prev = params[name];
        params[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
      }
      received.push({ url: `http://${req.headers.host}${req.url}`, headers: req.headers, params });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let fake: FakeTwilio;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  fake = await startFakeTwilio();
  fake.addAccount({ sid: ACCOUNT_SID, authToken: AUTH_TOKEN, friendlyName: 'Acme Support', numbers: [OUR_NUMBER] });
  fake.addAccount({ sid: OTHER_SID, authToken: OTHER_TOKEN, friendlyName: 'Someone else', numbers: ['+15550002222'] });
  receiver = await startReceiver();
});

afterAll(async () => {
  await fake?.close();
  await receiver?.close();
});

// How Parley builds its client: no region/edge rewriting of the host, API base pointed at the fake.
function client(sid = ACCOUNT_SID, token = AUTH_TOKEN) {
  const c = twilio(sid, token, { region: '', edge: '' });
  c.api.baseUrl = fake.url;
  return c;
}

async function restError(p: Promise<unknown>): Promise<twilio.RestException> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(twilio.RestException);
    return err as twilio.RestException;
  }
  throw new Error('expected the call to fail');
}

const basic = (sid: string, token: string) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

describe('fake Twilio REST API through the twilio SDK', () => {
  it('fetches the account with its credentials and answers 401 / 20003 otherwise', async () => {
    const account = await client().api.v2010.accounts(ACCOUNT_SID).fetch();
    expect(account).toMatchObject({ sid: ACCOUNT_SID, friendlyName: 'Acme Support', status: 'active', type: 'Full', ownerAccountSid: ACCOUNT_SID });
    expect(account.dateCreated).toBeInstanceOf(Date);
    expect(account.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}.json`);
    expect(account.subresourceUris.messages).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(fake.calls.at(-1)).toMatchObject({
      method: 'GET',
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}.json`,
      op: 'accounts.fetch',
      accountSid: ACCOUNT_SID,
      status: 200,
    });

    const wrong = await restError(client(ACCOUNT_SID, 'not-the-token').api.v2010.accounts(ACCOUNT_SID).fetch());
    expect(wrong).toMatchObject({ status: 401, code: 20003, message: 'Authenticate', moreInfo: 'https://www.twilio.com/docs/errors/20003' });
    expect(fake.calls.at(-1)).not.toHaveProperty('accountSid');

    // Right credentials, someone else's account.
    const foreign = await restError(client().api.v2010.accounts(OTHER_SID).fetch());
    expect(foreign).toMatchObject({ status: 404, code: 20404 });

    const anonymous = await fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT_SID}.json`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
    expect(await anonymous.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      detail: 'Your AccountSid or AuthToken was incorrect.',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });

  it('reports a suspended account and refuses to send from it', async () => {
    const sid = randomSid('AC');
    fake.addAccount({ sid, authToken: 'susp', friendlyName: 'Unpaid', status: 'suspended', numbers: ['+15550003333'] });
    expect((await client(sid, 'susp').api.v2010.accounts(sid).fetch()).status).toBe('suspended');
    const err = await restError(client(sid, 'susp').messages.create({ from: '+15550003333', to: CUSTOMER, body: 'hi' }));
    expect(err).toMatchObject({ status: 401, code: 20003 });
  });

  it('sends SMS and WhatsApp messages, recording them in fake.sent', async () => {
    const statusCallback = `${receiver.url}/webhooks/twilio/status`;
    const sms = await client().messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'Hello from Parley', statusCallback });
    expect(sms.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sms).toMatchObject({
      accountSid: ACCOUNT_SID,
      from: OUR_NUMBER,
      to: CUSTOMER,
      body: 'Hello from Parley',
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      numMedia: '0',
      apiVersion: '2010-04-01',
      errorCode: null,
      errorMessage: null,
      price: null,
      messagingServiceSid: null,
      uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sms.sid}.json`,
    });
    expect(sms.dateCreated).toBeInstanceOf(Date);
    expect(sms.dateSent).toBeNull();
    expect(fake.sent.at(-1)).toEqual({
      sid: sms.sid,
      accountSid: ACCOUNT_SID,
      from: OUR_NUMBER,
      to: CUSTOMER,
      body: 'Hello from Parley',
      statusCallback,
      mediaUrls: [],
      status: 'queued',
      createdAt: expect.any(Date),
    });
    expect(fake.calls.at(-1)).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`,
      op: 'messages.create',
      accountSid: ACCOUNT_SID,
      params: { To: CUSTOMER, From: OUR_NUMBER, Body: 'Hello from Parley', StatusCallback: statusCallback },
      status: 201,
    });

    const wa = await client().messages.create({
      from: `whatsapp:${OUR_NUMBER}`,
      to: WA_CUSTOMER,
      body: 'Here is the invoice',
      mediaUrl: ['https://files.example.com/invoice.pdf'],
    });
    expect(wa.sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(wa).toMatchObject({ from: `whatsapp:${OUR_NUMBER}`, to: WA_CUSTOMER, numMedia: '1', numSegments: '1', status: 'queued' });
    expect(fake.sent.at(-1)).toMatchObject({ sid: wa.sid, mediaUrls: ['https://files.example.com/invoice.pdf'] });
    expect(fake.sent.at(-1)).not.toHaveProperty('statusCallback');

    // Repeated MediaUrl parameters (an MMS) are recorded as an array.
    const mms = await client().messages.create({ from: OUR_NUMBER, to: CUSTOMER, mediaUrl: ['https://x.test/a.png', 'https://x.test/b.png'] });
    expect(fake.calls.at(-1)!.params.MediaUrl).toEqual(['https://x.test/a.png', 'https://x.test/b.png']);
    expect(mms).toMatchObject({ body: '', numMedia: '2' });

    const fetched = await client().messages(sms.sid).fetch();
    expect(fetched).toMatchObject({ sid: sms.sid, status: 'queued', body: 'Hello from Parley' });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'GET', op: 'messages.fetch', status: 200 });

    const missing = await restError(client().messages(nextMessageSid()).fetch());
    expect(missing).toMatchObject({ status: 404, code: 20404 });
    // Another account cannot read it either.
    expect(await restError(client(OTHER_SID, OTHER_TOKEN).api.v2010.accounts(ACCOUNT_SID).messages(sms.sid).fetch())).toMatchObject({
      status: 404,
    });
  });

  it('answers with Twilio’s JSON: snake_case, RFC 2822 dates, counts as strings', async () => {
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization: basic(ACCOUNT_SID, AUTH_TOKEN), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: CUSTOMER, From: OUR_NUMBER, Body: 'x'.repeat(161) }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ num_segments: '2', num_media: '0', status: 'queued', price_unit: 'USD', date_sent: null });
    expect(json.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(json.subresource_uris).toEqual({ media: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${String(json.sid)}/Media.json` });

    // Outside GSM-7 a segment holds 70 UTF-16 units (67 once split).
    const unicode = await client().messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'ü€'.repeat(10) + '😀'.repeat(30) });
    expect(unicode.numSegments).toBe('2');
  });

  it('rejects what Twilio rejects, with Twilio’s error codes', async () => {
    const before = fake.sent.length;
    const cases: [Parameters<ReturnType<typeof client>['messages']['create']>[0], number, unknown][] = [
      [{ from: OUR_NUMBER, to: '5557654321', body: 'x' }, 21211, "The 'To' number 5557654321 is not a valid phone number."],
      [{ from: OUR_NUMBER, to: 'whatsapp:nobody', body: 'x' }, 21211, "The 'To' number whatsapp:nobody is not a valid phone number."],
      [
        { from: '+15559999999', to: CUSTOMER, body: 'x' },
        21606,
        'The From phone number +15559999999 is not a valid, SMS-capable inbound phone number or short code for your account.',
      ],
      [{ from: '+15550002222', to: CUSTOMER, body: 'x' }, 21606, expect.stringContaining('+15550002222')],
      [{ from: OUR_NUMBER, to: WA_CUSTOMER, body: 'x' }, 21910, expect.stringMatching(/^Invalid From and To pair/)],
      [{ from: `whatsapp:${OUR_NUMBER}`, to: CUSTOMER, body: 'x' }, 21910, expect.stringMatching(/^Invalid From and To pair/)],
      [{ from: OUR_NUMBER, to: CUSTOMER, body: '' }, 21602, 'Message body is required.'],
      [{ from: OUR_NUMBER, to: CUSTOMER, body: 'y'.repeat(1601) }, 21617, expect.stringContaining('1600')],
      [{ to: CUSTOMER, body: 'x' }, 21603, "A 'From' phone number is required."],
      [{ from: OUR_NUMBER, to: CUSTOMER, body: 'x', statusCallback: 'not a url' }, 21609, expect.any(String)],
    ];
    for (const [params, code, message] of cases) {
      const err = await restError(client().messages.create(params));
      expect(err, JSON.stringify(params)).toMatchObject({ status: 400, code, message, moreInfo: `https://www.twilio.com/docs/errors/${code}` });
    }
    expect(fake.sent.length).toBe(before);
    // 1600 characters exactly is fine.
    await client().messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'y'.repeat(1600) });
  });

  it('injects rate limits (429 / 20429 with Retry-After) and server errors, once each', async () => {
    fake.failNext('messages.create', { status: 429, retryAfterSeconds: 7 });
    const c = client();
    const limited = await restError(c.messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'one' }));
    expect(limited).toMatchObject({ status: 429, code: 20429, message: 'Too Many Requests', moreInfo: 'https://www.twilio.com/docs/errors/20429' });
    expect(c.httpClient.lastResponse?.headers['retry-after']).toBe('7');
    expect(fake.calls.at(-1)).toMatchObject({ op: 'messages.create', status: 429 });
    // Consumed: the next one goes through.
    await c.messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'two' });
    expect(fake.sent.at(-1)!.body).toBe('two');

    fake.failNext('accounts.fetch', { status: 503 }, 2);
    for (let i = 0; i < 2; i++) {
      expect(await restError(c.api.v2010.accounts(ACCOUNT_SID).fetch())).toMatchObject({ status: 503, code: 20503, message: 'Service Unavailable' });
    }
    await c.api.v2010.accounts(ACCOUNT_SID).fetch();

    fake.failNext('messages.create', { status: 400, code: 30007, message: 'Message filtered' });
    expect(await restError(c.messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'spam?' }))).toMatchObject({
      status: 400,
      code: 30007,
      message: 'Message filtered',
    });
  });

  it('lostResponse: accepts the message, then drops the connection before answering', async () => {
    fake.failNext('messages.create', { status: 500, lostResponse: true });
    const before = fake.sent.length;
    let error: unknown;
    try {
      await client().messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'did it go?' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(twilio.RestException);
    expect((error as { code?: string }).code).toBe('ECONNRESET');
    expect(fake.sent.length).toBe(before + 1);
    expect(fake.sent.at(-1)).toMatchObject({ body: 'did it go?', status: 'queued' });
    expect(fake.calls.at(-1)).toMatchObject({ op: 'messages.create', status: 0 });
  });
});

describe('fake Twilio status callbacks', () => {
  it('posts a signed SMS status callback to the StatusCallback URL and updates the message', async () => {
    const statusCallback = `${receiver.url}/webhooks/twilio/status?integration=int_1`;
    const msg = await client().messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'Track me', statusCallback });
    const seen = receiver.received.length;

    const sent = await fake.sendStatus(msg.sid, 'sent');
    expect(sent).toMatchObject({ status: 200, body: expect.stringContaining('<Response>') });
    const delivered = await fake.sendStatus(msg.sid, 'delivered');
    expect(delivered.status).toBe(200);

    const [first, second] = receiver.received.slice(seen);
    expect(second!.url).toBe(statusCallback);
    expect(second!.params).toEqual({
      SmsSid: msg.sid,
      SmsStatus: 'delivered',
      MessageStatus: 'delivered',
      To: CUSTOMER,
      MessageSid: msg.sid,
      AccountSid: ACCOUNT_SID,
      From: OUR_NUMBER,
      ApiVersion: '2010-04-01',
      RawDlrDoneDate: expect.stringMatching(/^\d{10}$/),
    });
    expect(second!.params).toEqual(delivered.params);
    expect(first!.params.MessageStatus).toBe('sent');
    for (const r of [first!, second!]) {
      expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(r.headers['i-twilio-idempotency-token']).toEqual(expect.any(String));
      expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), r.url, r.params)).toBe(true);
      expect(twilio.validateRequest(OTHER_TOKEN, String(r.headers['x-twilio-signature']), r.url, r.params)).toBe(false);
    }
    expect(first!.headers['i-twilio-idempotency-token']).not.toBe(second!.headers['i-twilio-idempotency-token']);

    const now = await client().messages(msg.sid).fetch();
    expect(now.status).toBe('delivered');
    expect(now.dateSent).toBeInstanceOf(Date);
    expect(now.price).toMatch(/^-\d+\.\d{5}$/);
    expect(fake.sent.find((m) => m.sid === msg.sid)!.status).toBe('delivered');
  });

  it('adds the WhatsApp channel parameters and ErrorCode, and can sign wrongly or over a public URL', async () => {
    const statusCallback = `${receiver.url}/webhooks/twilio/status`;
    const msg = await client().messages.create({ from: `whatsapp:${OUR_NUMBER}`, to: WA_CUSTOMER, body: 'Hi!', statusCallback });

    const read = await fake.sendStatus(msg.sid, 'read');
    expect(read.params).toMatchObject({
      EventType: 'READ',
      MessageStatus: 'read',
      ChannelPrefix: 'whatsapp',
      ChannelToAddress: '+44770090XXXX',
      ChannelInstallSid: expect.stringMatching(/^XE[0-9a-f]{32}$/),
      To: WA_CUSTOMER,
      From: `whatsapp:${OUR_NUMBER}`,
    });
    let r = receiver.received.at(-1)!;
    expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), r.url, r.params)).toBe(true);

    const failed = await fake.sendStatus(msg.sid, 'undelivered', { errorCode: '63016' });
    expect(failed.params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '63016', EventType: 'UNDELIVERED' });
    expect(await client().messages(msg.sid).fetch()).toMatchObject({ status: 'undelivered', errorCode: 63016 });

    await fake.sendStatus(msg.sid, 'failed', { badSignature: true });
    r = receiver.received.at(-1)!;
    expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), r.url, r.params)).toBe(false);

    // Behind a proxy: Twilio signs the public URL; the app receives the request on its local one.
    const publicUrl = 'https://parley.example.com/webhooks/twilio/status';
    await fake.sendStatus(msg.sid, 'failed', { url: statusCallback, signatureUrl: publicUrl });
    r = receiver.received.at(-1)!;
    expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), publicUrl, r.params)).toBe(true);
    expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), r.url, r.params)).toBe(false);

    const silent = await client().messages.create({ from: OUR_NUMBER, to: CUSTOMER, body: 'no callback' });
    await expect(fake.sendStatus(silent.sid, 'sent')).rejects.toThrow(/StatusCallback/);
  });
});

describe('Twilio request signing and webhook payloads', () => {
  // The example of Twilio's webhook security docs and of its SDKs' validator
  // tests (twilio-python's, for one). Its Caller/From are +14158675309.
  const VECTOR = {
    token: '12345',
    url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
    params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' },
    signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
  };

  it('matches the published signature vector and the SDK', () => {
    expect(twilioSignature(VECTOR.token, VECTOR.url, VECTOR.params)).toBe(VECTOR.signature);
    expect(twilio.validateRequest(VECTOR.token, VECTOR.signature, VECTOR.url, VECTOR.params)).toBe(true);
    expect(twilio.getExpectedTwilioSignature(VECTOR.token, VECTOR.url, VECTOR.params)).toBe(VECTOR.signature);
    // Parameter order does not matter, a changed value or URL does.
    const reversed = Object.fromEntries(Object.entries(VECTOR.params).reverse());
    expect(twilioSignature(VECTOR.token, VECTOR.url, reversed)).toBe(VECTOR.signature);
    expect(twilioSignature(VECTOR.token, VECTOR.url, { ...VECTOR.params, Digits: '1235' })).not.toBe(VECTOR.signature);
    expect(twilioSignature(VECTOR.token, `${VECTOR.url}&x=1`, VECTOR.params)).not.toBe(VECTOR.signature);

    const repeated = { Body: 'pics', MediaUrl: ['https://x.test/b', 'https://x.test/a', 'https://x.test/b'] };
    const sig = twilioSignature('tok', 'https://app.test/in', repeated);
    expect(sig).toBe(twilio.getExpectedTwilioSignature('tok', 'https://app.test/in', repeated));
    expect(twilio.validateRequest('tok', sig, 'https://app.test/in', repeated)).toBe(true);
  });

  it('builds incoming SMS and WhatsApp payloads that validate when posted', async () => {
    const sms = inboundSms({
      accountSid: ACCOUNT_SID,
      from: CUSTOMER,
      to: OUR_NUMBER,
      body: 'Is my order shipped?',
      media: [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }],
    });
    expect(sms).toMatchObject({
      SmsStatus: 'received',
      NumMedia: '1',
      NumSegments: '1',
      MediaContentType0: 'image/jpeg',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      From: CUSTOMER,
      To: OUR_NUMBER,
      FromCountry: 'US',
      ToCountry: 'US',
      AccountSid: ACCOUNT_SID,
      ApiVersion: '2010-04-01',
    });
    expect(sms.MessageSid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(sms.SmsSid).toBe(sms.MessageSid);
    expect(sms.SmsMessageSid).toBe(sms.MessageSid);
    for (const key of ['ToState', 'ToCity', 'ToZip', 'FromState', 'FromCity', 'FromZip']) expect(sms).toHaveProperty(key);
    expect(inboundSms({ accountSid: ACCOUNT_SID, from: CUSTOMER, to: OUR_NUMBER, body: 'hi' }).MessageSid).toMatch(/^SM/);

    const wa = inboundWhatsApp({ accountSid: ACCOUNT_SID, from: '+447700900123', to: `whatsapp:${OUR_NUMBER}`, body: 'Hello', profileName: 'Ada' });
    expect(wa).toMatchObject({
      From: 'whatsapp:+447700900123',
      To: `whatsapp:${OUR_NUMBER}`,
      WaId: '447700900123',
      ProfileName: 'Ada',
      MessageType: 'text',
      NumMedia: '0',
      SmsStatus: 'received',
      Body: 'Hello',
    });
    expect(wa.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const waImage = inboundWhatsApp({
      accountSid: ACCOUNT_SID,
      from: WA_CUSTOMER,
      to: OUR_NUMBER,
      body: '',
      messageSid: 'MM00000000000000000000000000000001',
      media: [{ url: 'https://media.test/1', contentType: 'image/png' }],
    });
    expect(waImage).toMatchObject({ MessageType: 'image', MessageSid: 'MM00000000000000000000000000000001', MediaUrl0: 'https://media.test/1' });
    expect(waImage).not.toHaveProperty('ProfileName');

    for (const params of [sms, wa, waImage]) {
      const url = `${receiver.url}/webhooks/twilio/inbound/int_1`;
      const res = await postTwilioWebhook(url, AUTH_TOKEN, params);
      expect(res).toEqual({ status: 200, body: expect.stringContaining('<Response>'), contentType: 'text/xml' });
      const r = receiver.received.at(-1)!;
      expect(r.params).toEqual(params);
      expect(r.headers['i-twilio-idempotency-token']).toEqual(expect.any(String));
      expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), url, r.params)).toBe(true);
    }

    const url = `${receiver.url}/webhooks/twilio/inbound/int_1`;
    await postTwilioWebhook(url, AUTH_TOKEN, sms, { badSignature: true, idempotencyToken: 'retry-1', headers: { 'x-extra': 'yes' } });
    const r = receiver.received.at(-1)!;
    expect(twilio.validateRequest(AUTH_TOKEN, String(r.headers['x-twilio-signature']), url, r.params)).toBe(false);
    expect(r.headers['i-twilio-idempotency-token']).toBe('retry-1');
    expect(r.headers['x-extra']).toBe('yes');
  });
});
