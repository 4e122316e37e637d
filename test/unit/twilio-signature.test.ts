// Twilio's request signature as the server checks it (channels/twilio/verify.ts),
// against twilio-node's published vector and its validateRequest on random
// inputs; and the pure parts of the Twilio channel: addresses, incoming
// message and status callback parameters (inbound.ts), error reasons (errors.ts).
import { createHmac } from 'node:crypto';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { twilioReason } from '../../server/src/channels/twilio/errors.ts';
import { inboundMessage, parseAddress, statusUpdate, threadKeyOf } from '../../server/src/channels/twilio/inbound.ts';
import { twilioSignature, verifyTwilioRequest, type FormParams } from '../../server/src/channels/twilio/verify.ts';
import { WebhookError } from '../../server/src/channels/types.ts';
import { inboundSms, inboundWhatsApp, statusCallbackParams, twilioSignature as fakeSignature } from '../fakes/twilio/index.ts';

// twilio-node's own test vector (spec/unit/webhooks/webhooks.spec.js).
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS: Record<string, string> = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
const EXPECTED = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';
const list = (o: Record<string, string>): FormParams => Object.entries(o);

/** The status verifyTwilioRequest refuses with, or 'ok'. */
function verdict(token: string, header: string | undefined, url: string, params: FormParams): 'ok' | number {
  try {
    verifyTwilioRequest(token, header, url, params);
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookError);
    return (err as WebhookError).status;
  }
}

describe('twilioSignature / verifyTwilioRequest', () => {
  it('matches twilio-node\'s published vector, in any parameter order', () => {
    expect(twilioSignature(TOKEN, URL_, list(PARAMS))).toBe(EXPECTED);
    expect(twilioSignature(TOKEN, URL_, list(PARAMS).reverse())).toBe(EXPECTED);
    // The SDK and the fake agree on it too, so all three sign alike.
    expect(twilio.getExpectedTwilioSignature(TOKEN, URL_, PARAMS)).toBe(EXPECTED);
    expect(fakeSignature(TOKEN, URL_, PARAMS)).toBe(EXPECTED);
    expect(verdict(TOKEN, EXPECTED, URL_, list(PARAMS))).toBe('ok');
    expect(verdict(TOKEN, ` ${EXPECTED} `, URL_, list(PARAMS))).toBe('ok');
  });

  it('accepts the URL with the default port added or removed, as Twilio may sign either', () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    const sigWithPort = twilioSignature(TOKEN, withPort, list(PARAMS));
    expect(sigWithPort).not.toBe(EXPECTED);
    // Request seen without a port, signed with :443; and the other way round.
    expect(verdict(TOKEN, sigWithPort, URL_, list(PARAMS))).toBe('ok');
    expect(verdict(TOKEN, EXPECTED, withPort, list(PARAMS))).toBe('ok');
    // Plain HTTP: :80.
    const http = 'http://parley.example.com/webhooks/twilio/abc';
    const http80 = 'http://parley.example.com:80/webhooks/twilio/abc';
    expect(verdict(TOKEN, twilioSignature(TOKEN, http80, list(PARAMS)), http, list(PARAMS))).toBe('ok');
    expect(verdict(TOKEN, twilioSignature(TOKEN, http, list(PARAMS)), http80, list(PARAMS))).toBe('ok');
    // Not just any port: a signature over :8443 does not match the default-port URL.
    expect(verdict(TOKEN, twilioSignature(TOKEN, 'https://mycompany.com:8443/myapp.php?foo=1&bar=2', list(PARAMS)), URL_, list(PARAMS))).toBe(403);
    // Nor does :443 on an http URL.
    expect(verdict(TOKEN, twilioSignature(TOKEN, 'http://parley.example.com:443/webhooks/twilio/abc', list(PARAMS)), http, list(PARAMS))).toBe(403);
    // PUBLIC_URL on another port: Twilio documents that it drops the port of an HTTPS URL before
    // signing (and twilio-node's validateRequest accepts that), so both spellings must pass.
    const custom = 'https://parley.example.com:8443/webhooks/twilio/abc';
    expect(verdict(TOKEN, twilioSignature(TOKEN, custom, list(PARAMS)), custom, list(PARAMS))).toBe('ok');
    expect(verdict(TOKEN, twilioSignature(TOKEN, 'https://parley.example.com/webhooks/twilio/abc', list(PARAMS)), custom, list(PARAMS))).toBe('ok');
    expect(verdict(TOKEN, twilioSignature(TOKEN, 'https://parley.example.com:9443/webhooks/twilio/abc', list(PARAMS)), custom, list(PARAMS))).toBe(403);
  });

  it('refuses a tampered, added or removed parameter, another URL, another token, and a missing signature', () => {
    const tampered = list({ ...PARAMS, Digits: '1235' });
    expect(verdict(TOKEN, EXPECTED, URL_, tampered)).toBe(403);
    expect(verdict(TOKEN, EXPECTED, URL_, [...list(PARAMS), ['Body', '']])).toBe(403);
    expect(verdict(TOKEN, EXPECTED, URL_, list(PARAMS).slice(1))).toBe(403);
    // A value moved from one parameter to another (name+value concatenation stays the same length).
    expect(verdict(TOKEN, EXPECTED, URL_, list({ ...PARAMS, CallSid: 'CA1234567890ABCD', Caller: 'E+14158675309' }))).toBe(403);
    expect(verdict(TOKEN, EXPECTED, 'https://mycompany.com/myapp.php?foo=1&bar=3', list(PARAMS))).toBe(403);
    expect(verdict(TOKEN, EXPECTED, 'https://mycompany.com/myapp.php', list(PARAMS))).toBe(403);
    expect(verdict(TOKEN, EXPECTED, 'http://mycompany.com/myapp.php?foo=1&bar=2', list(PARAMS))).toBe(403);
    expect(verdict('54321', EXPECTED, URL_, list(PARAMS))).toBe(403);
    expect(verdict(TOKEN, undefined, URL_, list(PARAMS))).toBe(403);
    expect(verdict(TOKEN, '', URL_, list(PARAMS))).toBe(403);
    expect(verdict(TOKEN, EXPECTED.slice(0, -1), URL_, list(PARAMS))).toBe(403);
    expect(verdict(TOKEN, 'not base64 at all', URL_, list(PARAMS))).toBe(403);
  });

  it('counts a repeated parameter once per distinct value, as Twilio\'s validators do', () => {
    // twilio-node (and twilio-python) sign each distinct value of a repeated name once, values sorted.
    const sig = twilio.getExpectedTwilioSignature(TOKEN, URL_, { MediaUrl: ['https://b', 'https://a', 'https://b'] });
    expect(twilioSignature(TOKEN, URL_, [['MediaUrl', 'https://b'], ['MediaUrl', 'https://a'], ['MediaUrl', 'https://b']])).toBe(sig);
    expect(verdict(TOKEN, sig, URL_, [['MediaUrl', 'https://b'], ['MediaUrl', 'https://a'], ['MediaUrl', 'https://b']])).toBe('ok');
    expect(verdict(TOKEN, sig, URL_, [['MediaUrl', 'https://b'], ['MediaUrl', 'https://a'], ['MediaUrl', 'https://c']])).toBe(403);
  });

  it('sorts by name in code-unit order, not the locale\'s', () => {
    // "Z" < "a" in code units; a locale-aware sort would put "a" first.
    const params: FormParams = [['a', '1'], ['Z', '2'], ['_x', '3'], ['B', '4']];
    const sig = twilioSignature(TOKEN, URL_, params);
    expect(sig).toBe(twilio.getExpectedTwilioSignature(TOKEN, URL_, { a: '1', Z: '2', _x: '3', B: '4' }));
    const manual = createHmac('sha1', TOKEN).update(`${URL_}B4Z2_x3a1`).digest('base64');
    expect(sig).toBe(manual);
  });

  it('agrees with twilio.validateRequest on random requests', () => {
    const rnd = seeded(0x7a11_0e5);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const chars = 'abcXYZ019 +&=%/?:é€😀\n\'"<>';
    const text = (max: number) => Array.from({ length: Math.floor(rnd() * max) }, () => pick([...chars])).join('');
    const name = () => pick(['Body', 'From', 'To', 'MessageSid', 'AccountSid', 'NumMedia', 'MediaUrl0', 'ProfileName', 'a', 'Z', 'body', 'X-1', '_']);
    let accepted = 0;
    const disagreements: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      const token = pick(['12345', 'tok-en', 'ä-token', 'twilio-auth-token-0123456789abcd']);
      const scheme = pick(['https', 'http']);
      const host = pick(['parley.example.com', 'mycompany.com', '127.0.0.1']);
      const port = pick(['', '', ':443', ':80', ':8443', ':3000']);
      const path = pick(['/webhooks/twilio/0190f3b4-aaaa-7000-8000-000000000001', '/webhooks/twilio/x/status', '/myapp.php']);
      const query = pick(['', '', '?message=0190f3b4-bbbb-7000-8000-000000000002', '?foo=1&bar=2']);
      const url = `${scheme}://${host}${port}${path}${query}`;
      // Form parameters as received, in order; sometimes a name twice (with the same or another value).
      const params: FormParams = Array.from({ length: Math.floor(rnd() * 6) }, () => [name(), text(12)] as [string, string]);
      if (params.length && rnd() < 0.2) params.push([params[0]![0], rnd() < 0.5 ? params[0]![1] : text(5)]);
      const asObject: Record<string, string | string[]> = {};
      for (const [k, v] of params) {
        const prev = asObject[k];
        asObject[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      // What it is signed over: the URL as seen, a port variant, something else, or a forgery.
      const signedUrl = pick([
        url,
        url,
        `${scheme}://${host}${path}${query}`,
        `${scheme}://${host}${scheme === 'https' ? ':443' : ':80'}${path}${query}`,
        `${scheme}://${host}:8443${path}${query}`,
        `${scheme === 'https' ? 'http' : 'https'}://${host}${port}${path}${query}`,
      ]);
      const signedParams = rnd() < 0.15 && params.length ? { ...asObject, [params[0]![0]]: `${text(3)}!` } : asObject;
      const header = rnd() < 0.05 ? text(28) : twilio.getExpectedTwilioSignature(rnd() < 0.1 ? `${token}x` : token, signedUrl, signedParams);
      const sdk = twilio.validateRequest(token, header, url, asObject);
      const ours = verdict(token, header, url, params) === 'ok';
      if (sdk) accepted++;
      if (sdk !== ours) disagreements.push({ token, header, url, signedUrl, params, sdk, ours });
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // The inputs exercise both outcomes.
    expect(accepted).toBeGreaterThan(600);
    expect(accepted).toBeLessThan(2700);
  });

  it('verifies what the fake Twilio signs for incoming messages and status callbacks', () => {
    const url = 'https://parley.example.com/webhooks/twilio/0190f3b4-aaaa-7000-8000-000000000001';
    const sms = inboundSms({ accountSid: `AC${'a'.repeat(32)}`, from: '+14155550100', to: '+15550001111', body: 'Hi & bye = ok?', media: [{ url: 'https://api.twilio.com/x/Media/ME1', contentType: 'image/png' }] });
    expect(verdict('tok', fakeSignature('tok', url, sms), url, list(sms))).toBe('ok');
    const status = statusCallbackParams({ sid: `SM${'b'.repeat(32)}`, accountSid: `AC${'a'.repeat(32)}`, from: 'whatsapp:+15550002222', to: 'whatsapp:+14155550100' }, 'undelivered', { errorCode: '63016' });
    const statusUrl = `${url}/status?message=0190f3b4-bbbb-7000-8000-000000000002`;
    expect(verdict('tok', fakeSignature('tok', statusUrl, status), statusUrl, list(status))).toBe('ok');
    expect(verdict('tok', fakeSignature('tok', `${url}/status`, status), statusUrl, list(status))).toBe(403);
  });
});

describe('parseAddress', () => {
  it.each([
    ['+14155550100', { channel: 'SMS', number: '+14155550100' }],
    ['whatsapp:+447700900123', { channel: 'WHATSAPP', number: '+447700900123' }],
    ['WhatsApp:+1 415 555 0100', { channel: 'WHATSAPP', number: '+14155550100' }],
    ['+1 (415) 555-0100', { channel: 'SMS', number: '+14155550100' }],
    ['14155550100', { channel: 'SMS', number: '+14155550100' }],
    ['0044 20 7946 0958', { channel: 'SMS', number: '+442079460958' }],
  ])('%s → %o', (raw, expected) => {
    expect(parseAddress(raw)).toEqual(expected);
  });

  it.each([['12345'], ['898287'], ['ACME'], [''], ['whatsapp:'], ['whatsapp:12345'], ['+123'], ['+0123'], ['messenger:1234567890']])('%s is not an address customers can be answered at', (raw) => {
    expect(parseAddress(raw)).toBeNull();
  });
});

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const OTHER_ACCOUNT = `AC${'f'.repeat(32)}`;
const SID = `SM${'1'.repeat(32)}`;

function webhookError(fn: () => unknown): WebhookError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookError);
    return err as WebhookError;
  }
  throw new Error('expected a WebhookError');
}

describe('inboundMessage', () => {
  it('makes an SMS a message of the sender, threaded per our number and channel', () => {
    const params = inboundSms({ accountSid: ACCOUNT, from: '+14155550100', to: '+15550001111', body: 'Where is my order?', messageSid: SID });
    const res = inboundMessage(list(params), ACCOUNT);
    expect(res).toEqual({
      message: expect.objectContaining({
        channel: 'SMS',
        providerMessageId: SID,
        sender: { id: '+14155550100', phone: '+14155550100', name: null },
        senderNeedsLookup: false,
        body: 'Where is my order?',
        attachments: [],
        bundleKey: 'sms:+15550001111',
        threadKey: threadKeyOf('SMS', '+15550001111', '+14155550100'),
        replyThreadKey: threadKeyOf('SMS', '+15550001111', '+14155550100'),
        conversation: { address: '+14155550100', ourAddress: '+15550001111' },
      }),
    });
    expect(threadKeyOf('SMS', '+15550001111', '+14155550100')).not.toBe(threadKeyOf('WHATSAPP', '+15550001111', '+14155550100'));
  });

  it('makes a whatsapp: message a WHATSAPP one, named after the trimmed profile name', () => {
    const params = inboundWhatsApp({ accountSid: ACCOUNT, from: '+447700900123', to: '+15550002222', body: 'Hola', profileName: '  Ana María  ', messageSid: SID });
    const res = inboundMessage(list(params), ACCOUNT);
    expect('message' in res && res.message).toMatchObject({
      channel: 'WHATSAPP',
      sender: { id: '+447700900123', phone: '+447700900123', name: 'Ana María' },
      bundleKey: 'whatsapp:+15550002222',
      conversation: { address: '+447700900123', ourAddress: '+15550002222' },
    });
    // A blank profile name is no name; an SMS never carries one.
    const blank = inboundMessage(list(inboundWhatsApp({ accountSid: ACCOUNT, from: '+447700900123', to: '+15550002222', body: 'x', profileName: '   ' })), ACCOUNT);
    expect('message' in blank && blank.message.sender.name).toBeNull();
    const sms = inboundMessage(list(inboundSms({ accountSid: ACCOUNT, from: '+14155550100', to: '+15550001111', body: 'x', extra: { ProfileName: 'Not WhatsApp' } })), ACCOUNT);
    expect('message' in sms && sms.message.sender.name).toBeNull();
  });

  it('keeps media as attachments named after the media sid, with an extension for known types', () => {
    const base = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM${'2'.repeat(32)}/Media`;
    const params = inboundSms({
      accountSid: ACCOUNT, from: '+14155550100', to: '+15550001111', body: '',
      media: [
        { url: `${base}/ME1`, contentType: 'image/jpeg' },
        { url: `${base}/ME2`, contentType: 'application/pdf' },
        { url: `${base}/ME3`, contentType: 'application/x-unknown' },
      ],
    });
    const res = inboundMessage(list(params), ACCOUNT);
    expect('message' in res && res.message.attachments).toEqual([
      { name: 'ME1.jpg', contentType: 'image/jpeg', url: `${base}/ME1`, providerId: 'ME1' },
      { name: 'ME2.pdf', contentType: 'application/pdf', url: `${base}/ME2`, providerId: 'ME2' },
      { name: 'ME3', contentType: 'application/x-unknown', url: `${base}/ME3`, providerId: 'ME3' },
    ]);
    // NumMedia that is not a number, or larger than the URLs given, takes what is there.
    const odd = inboundMessage([...list(params).filter(([k]) => k !== 'NumMedia'), ['NumMedia', 'three']], ACCOUNT);
    expect('message' in odd && odd.message.attachments).toEqual([]);
    const more = inboundMessage([...list(params).filter(([k]) => k !== 'NumMedia'), ['NumMedia', '5']], ACCOUNT);
    expect('message' in more && more.message.attachments.map((a) => a.name)).toEqual(['ME1.jpg', 'ME2.pdf', 'ME3']);
  });

  it('falls back to SmsMessageSid and an empty body', () => {
    const params = list(inboundSms({ accountSid: ACCOUNT, from: '+14155550100', to: '+15550001111', body: 'x', messageSid: SID })).filter(([k]) => k !== 'MessageSid' && k !== 'Body');
    const res = inboundMessage(params, ACCOUNT);
    expect('message' in res && res.message).toMatchObject({ providerMessageId: SID, body: '' });
  });

  it('drops short codes and alphanumeric senders, which cannot be answered', () => {
    for (const from of ['12345', 'ACME']) {
      const res = inboundMessage(list(inboundSms({ accountSid: ACCOUNT, from, to: '+15550001111', body: 'Your code is 123456' })), ACCOUNT);
      expect(res).toEqual({ dropped: expect.stringContaining(from) });
    }
  });

  it('refuses another account\'s message with 403 and a message without From, To or sid with 400', () => {
    const params = inboundSms({ accountSid: OTHER_ACCOUNT, from: '+14155550100', to: '+15550001111', body: 'x' });
    expect(webhookError(() => inboundMessage(list(params), ACCOUNT)).status).toBe(403);
    expect(webhookError(() => inboundMessage(list(params).filter(([k]) => k !== 'AccountSid'), OTHER_ACCOUNT)).status).toBe(403);
    const ours = list(inboundSms({ accountSid: ACCOUNT, from: '+14155550100', to: '+15550001111', body: 'x' }));
    for (const missing of [['From'], ['To'], ['MessageSid', 'SmsMessageSid', 'SmsSid']]) {
      expect(webhookError(() => inboundMessage(ours.filter(([k]) => !missing.includes(k)), ACCOUNT)).status).toBe(400);
    }
  });
});

describe('statusUpdate', () => {
  const sent = { sid: SID, accountSid: ACCOUNT, from: '+15550001111', to: '+14155550100' };
  const wa = { sid: SID, accountSid: ACCOUNT, from: 'whatsapp:+15550002222', to: 'whatsapp:+14155550100' };

  it.each([
    ['sent', 'SENT'],
    ['delivered', 'DELIVERED'],
    ['read', 'READ'],
  ] as const)('%s → %s, naming our message too when the callback URL does', (raw, status) => {
    expect(statusUpdate(list(statusCallbackParams(wa, raw)), ACCOUNT, 'msg-1')).toEqual({ messageId: 'msg-1', providerMessageId: SID, status, errorCode: null, error: null });
    expect(statusUpdate(list(statusCallbackParams(sent, raw)), ACCOUNT, null)).toEqual({ providerMessageId: SID, status, errorCode: null, error: null });
  });

  it('ignores the intermediate statuses', () => {
    for (const raw of ['queued', 'accepted', 'sending', 'scheduled', 'receiving', 'canceled-not-yet-known']) {
      expect(statusUpdate([['MessageSid', SID], ['MessageStatus', raw], ['AccountSid', ACCOUNT]], ACCOUNT, 'msg-1')).toBeNull();
    }
  });

  it('turns undelivered and failed into FAILED with Twilio\'s code and a readable reason', () => {
    expect(statusUpdate(list(statusCallbackParams(sent, 'undelivered', { errorCode: '30003' })), ACCOUNT, 'm')).toEqual({
      messageId: 'm',
      providerMessageId: SID,
      status: 'FAILED',
      errorCode: '30003',
      error: 'The customer\'s phone is unreachable (switched off or out of coverage). (Twilio error 30003)',
    });
    expect(statusUpdate(list(statusCallbackParams(wa, 'failed', { errorCode: '63016' })), ACCOUNT, 'm')).toMatchObject({ errorCode: '63016', error: expect.stringMatching(/24 hours.*template/) });
    // Without a code: the status itself, and a sentence for it.
    expect(statusUpdate(list(statusCallbackParams(sent, 'undelivered')), ACCOUNT, 'm')).toMatchObject({ status: 'FAILED', errorCode: 'undelivered', error: 'The carrier could not deliver the message.' });
    expect(statusUpdate(list(statusCallbackParams(sent, 'failed')), ACCOUNT, 'm')).toMatchObject({ status: 'FAILED', errorCode: 'failed', error: 'Twilio could not send the message.' });
    // A code we have no sentence for: Twilio's ErrorMessage, with the code.
    expect(statusUpdate([...list(statusCallbackParams(sent, 'failed', { errorCode: '30410' })), ['ErrorMessage', 'Provider timeout']], ACCOUNT, 'm')).toMatchObject({ errorCode: '30410', error: 'Provider timeout (Twilio error 30410)' });
    // A code on a successful status is not an error.
    expect(statusUpdate(list(statusCallbackParams(sent, 'delivered', { errorCode: '0' })), ACCOUNT, 'm')).toMatchObject({ status: 'DELIVERED', errorCode: null, error: null });
  });

  it('reads SmsStatus / SmsSid when the newer names are absent, in any case', () => {
    expect(statusUpdate([['SmsSid', SID], ['SmsStatus', 'DELIVERED'], ['AccountSid', ACCOUNT]], ACCOUNT, null)).toEqual({ providerMessageId: SID, status: 'DELIVERED', errorCode: null, error: null });
  });

  it('refuses another account\'s callback with 403 and one without sid or status with 400', () => {
    expect(webhookError(() => statusUpdate(list(statusCallbackParams({ ...sent, accountSid: OTHER_ACCOUNT }, 'delivered')), ACCOUNT, 'm')).status).toBe(403);
    expect(webhookError(() => statusUpdate([['AccountSid', ACCOUNT], ['MessageStatus', 'delivered']], ACCOUNT, 'm')).status).toBe(400);
    expect(webhookError(() => statusUpdate([['AccountSid', ACCOUNT], ['MessageSid', SID]], ACCOUNT, 'm')).status).toBe(400);
  });
});

describe('twilioReason', () => {
  it.each([
    [30003, undefined, /unreachable.*\(Twilio error 30003\)$/],
    ['21211', 'ignored', /not a valid phone number.*\(Twilio error 21211\)$/],
    [20003, null, /rejected the Account SID and auth token/],
    [21610, null, /STOP/],
    [63016, null, /24 hours/],
    [99999, 'Something odd', /^Something odd \(Twilio error 99999\)$/],
    [99999, '   ', /^Twilio reported an error\. \(Twilio error 99999\)$/],
    [null, 'Only a message', /^Only a message$/],
    [undefined, undefined, /^Twilio reported an error\.$/],
  ])('%s / %s', (code, fallback, expected) => {
    expect(twilioReason(code, fallback)).toMatch(expected);
  });
});

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
