// Connecting SendGrid through GraphQL: the API key checked with SendGrid
// (GET /v3/scopes, mail.send) before anything is stored, field errors, admins
// only, the Inbound Parse / Event Webhook URLs with their per-integration
// secret (kept across reconnects), secrets encrypted and never shown; then the
// webhook's gatekeeping: the URL secret, and SendGrid's ECDSA signature when a
// verification key was given.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { eventsForMail, generateWebhookKeys, inboundParseForm, postEventWebhook, postInboundParse, signatureHeaders, type InboundEmail, type SentMail, type WebhookKeys } from '../fakes/sendgrid/index.ts';
import { addMember, prismaFor, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { errorCode, gql, gqlOk, type GqlResult } from '../helpers/graphql.ts';
import { API_KEY, CUSTOMER_EMAIL, FROM_EMAIL, INBOUND_DOMAIN, messageId, startSendGridEnv, type SendGridEnv } from '../helpers/sendgrid.ts';
import { eventually } from '../helpers/wait.ts';

const PUBLIC_URL = 'https://parley.example.test';
let env: SendGridEnv;
let prisma: PrismaClient;
let member: SignedUp;

beforeAll(async () => {
  env = await startSendGridEnv({ env: { PUBLIC_URL } });
  prisma = prismaFor(env.t.databaseUrl);
  member = await addMember(env.t.url, env.admin.token, 'MEMBER');
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.stop();
});

interface IntegrationView {
  id: string;
  provider: string;
  status: string;
  displayName: string;
  fromEmail: string | null;
  fromName: string | null;
  inboundDomain: string | null;
  webhookSigned: boolean | null;
  webhookUrl: string | null;
  statusWebhookUrl: string | null;
  lastError: string | null;
}
const FIELDS = 'id provider status displayName fromEmail fromName inboundDomain webhookSigned webhookUrl statusWebhookUrl lastError';
const CONNECT = `mutation($input: ConnectSendGridInput!) { connectSendGrid(input: $input) { ${FIELDS} } }`;
const connect = (input: Record<string, unknown>, token = env.admin.token) => gql<{ connectSendGrid: IntegrationView }>(env.t.url, CONNECT, { input }, token);
const validInput = (over: Record<string, unknown> = {}) => ({ apiKey: API_KEY, fromEmail: FROM_EMAIL, fromName: 'Acme Support', inboundDomain: INBOUND_DOMAIN, ...over });
async function integrations(token = env.admin.token): Promise<IntegrationView[]> {
  return (await gqlOk<{ integrations: IntegrationView[] }>(env.t.url, `{ integrations { ${FIELDS} } }`, {}, token)).integrations;
}
const stored = async () => ({ integrations: await prisma.integration.count(), credentials: await prisma.credential.count(), configs: JSON.stringify((await prisma.integration.findMany({ orderBy: { id: 'asc' } })).map((i) => [i.config, i.status, i.displayName])) });
const scopeCalls = () => env.sendgrid.calls.filter((c) => c.path === '/v3/scopes');
/** A URL Parley shows (built from PUBLIC_URL, a host that does not exist here) at its real address. */
const local = (url: string) => url.replace(PUBLIC_URL, env.t.url);
const inboundCount = () => prisma.message.count({ where: { direction: 'INBOUND' } });

function expectBadInput(res: GqlResult, field: string, message: RegExp): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', field } });
}

function email(over: Partial<InboundEmail> = {}): ReturnType<typeof inboundParseForm> {
  return inboundParseForm({ from: `Eve Example <${CUSTOMER_EMAIL}>`, to: `Acme Support <${FROM_EMAIL}>`, subject: 'Setup check', text: 'Hello from setup', headers: { 'Message-ID': messageId() }, ...over });
}

/** Posts an email to the URL; returns the status and whether a message with that Message-ID was stored. */
async function post(url: string, form = email(), opts: Parameters<typeof postInboundParse>[2] = {}): Promise<{ status: number; body: string; stored: boolean }> {
  const res = await postInboundParse(url, form, opts);
  const id = /^Message-ID: (.*)$/im.exec(form.fields.headers!)![1]!.trim();
  return { ...res, stored: (await prisma.message.count({ where: { providerMessageId: id } })) === 1 };
}

describe('connectSendGrid', () => {
  it('checks the key with GET /v3/scopes, records the sender and builds both webhook URLs with an unguessable secret', async () => {
    expect(scopeCalls().some((c) => c.apiKey === API_KEY && c.method === 'GET' && c.status === 200)).toBe(true);
    const [view] = await integrations();
    expect(view).toEqual({
      id: env.integrationId,
      provider: 'SENDGRID',
      status: 'CONNECTED',
      displayName: 'Acme Support <support@acme.test>',
      fromEmail: FROM_EMAIL,
      fromName: 'Acme Support',
      inboundDomain: INBOUND_DOMAIN,
      webhookSigned: false,
      webhookUrl: expect.any(String),
      statusWebhookUrl: expect.any(String),
      lastError: null,
    });
    const m = new RegExp(`^${PUBLIC_URL}/webhooks/sendgrid/${env.integrationId}/([A-Za-z0-9_-]+)$`).exec(view!.webhookUrl!);
    expect(m, view!.webhookUrl!).not.toBeNull();
    const secret = m![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(22); // at least 128 bits of base64url
    expect(new Set(secret).size).toBeGreaterThan(8);
    expect(view!.statusWebhookUrl).toBe(`${view!.webhookUrl}/events`);
    // The helper's URLs are the same ones.
    expect(env.webhookUrl).toBe(view!.webhookUrl);
    expect(env.eventsUrl).toBe(view!.statusWebhookUrl);
    // And they work.
    expect((await post(local(view!.webhookUrl!))).stored).toBe(true);
  });

  it('stores the API key and the URL secret encrypted, nowhere in clear', async () => {
    const row = await prisma.integration.findUniqueOrThrow({ where: { id: env.integrationId }, include: { credentials: true } });
    expect(row.config).toMatchObject({ fromEmail: FROM_EMAIL, fromName: 'Acme Support', inboundDomain: INBOUND_DOMAIN, webhookPublicKey: null });
    expect(row.credentials.map((c) => c.name).sort()).toEqual(['apiKey', 'inboundSecret']);
    const secret = env.webhookUrl.split('/').at(-1)!;
    for (const c of row.credentials) {
      const bytes = Buffer.from(c.ciphertext);
      for (const clear of [API_KEY, secret, API_KEY.slice(3)]) {
        expect(bytes.includes(Buffer.from(clear))).toBe(false);
        expect(bytes.toString('base64')).not.toContain(Buffer.from(clear).toString('base64'));
      }
    }
    const rowText = JSON.stringify(row.config) + row.displayName;
    expect(rowText).not.toContain(API_KEY);
    expect(rowText).not.toContain(secret);
  });

  it('never shows the API key: not in mutation answers, queries, errors or logs', async () => {
    const answers = [
      await connect(validInput()),
      await gql(env.t.url, `{ integrations { ${FIELDS} } }`, {}, env.admin.token),
      await connect(validInput({ apiKey: `${API_KEY}-wrong` })),
      await connect(validInput({ fromEmail: 'nope' })),
    ];
    for (const a of answers) {
      expect(a.raw).not.toContain(API_KEY);
      expect(a.raw).not.toContain(API_KEY.slice(3));
    }
    expect(env.t.logs.join('\n')).not.toContain(API_KEY);
  });

  it('refuses a key SendGrid does not know, or a revoked one, naming apiKey, and stores nothing', async () => {
    const before = await stored();
    const calls = scopeCalls().length;
    expectBadInput(await connect(validInput({ apiKey: 'SG.unknown.key0123456789', inboundDomain: 'other.acme.test' })), 'apiKey', /SendGrid rejected the API key/);
    expect(scopeCalls().at(-1)).toMatchObject({ apiKey: 'SG.unknown.key0123456789', status: 401 });

    env.sendgrid.addKey({ key: 'SG.revoked.key0123456789', scopes: ['mail.send'] });
    env.sendgrid.revokeKey('SG.revoked.key0123456789');
    expectBadInput(await connect(validInput({ apiKey: 'SG.revoked.key0123456789', inboundDomain: 'other.acme.test' })), 'apiKey', /SendGrid rejected the API key/);
    expect(scopeCalls()).toHaveLength(calls + 2);
    expect(await stored()).toEqual(before);
  });

  it('refuses a key without the Mail Send permission, and one that is not an SG. key', async () => {
    const before = await stored();
    env.sendgrid.addKey({ key: 'SG.readonly.key0123456789', scopes: ['scopes.read', 'stats.read', 'mail.batch.read'] });
    expectBadInput(await connect(validInput({ apiKey: 'SG.readonly.key0123456789', inboundDomain: 'other.acme.test' })), 'apiKey', /Mail Send/);
    expect(scopeCalls().at(-1)).toMatchObject({ apiKey: 'SG.readonly.key0123456789', status: 200 });
    expectBadInput(await connect(validInput({ apiKey: 'xoxb-not-sendgrid', inboundDomain: 'other.acme.test' })), 'apiKey', /SG\./);
    expectBadInput(await connect(validInput({ apiKey: '', inboundDomain: 'other.acme.test' })), 'apiKey', /SG\./);
    expect(await stored()).toEqual(before);
  });

  it('stores nothing when SendGrid cannot be asked (5xx on /v3/scopes)', async () => {
    const before = await stored();
    env.sendgrid.failNext('scopes', { status: 503 });
    expectBadInput(await connect(validInput({ inboundDomain: 'other.acme.test' })), 'apiKey', /SendGrid/);
    expect(await stored()).toEqual(before);
  });

  it('refuses a bad sender address or inbound domain with a field error, before calling SendGrid', async () => {
    const before = await stored();
    const calls = scopeCalls().length;
    for (const fromEmail of ['not-an-email', 'Support <support@acme.test>', 'support@localhost', 'support@@acme.test', ' ']) {
      expectBadInput(await connect(validInput({ fromEmail, inboundDomain: 'other.acme.test' })), 'fromEmail', /email address/);
    }
    for (const inboundDomain of ['https://reply.acme.test', 'reply acme.test', 'reply', '-bad-.acme.test', 'reply.acme.test/parse', '']) {
      expectBadInput(await connect(validInput({ inboundDomain })), 'inboundDomain', /host name/);
    }
    expect(scopeCalls()).toHaveLength(calls);
    expect(await stored()).toEqual(before);
  });

  it('refuses a verification key that is not an elliptic-curve public key', async () => {
    const before = await stored();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const webhookPublicKey of ['not a key', 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE', rsa]) {
      expectBadInput(await connect(validInput({ webhookPublicKey, inboundDomain: 'other.acme.test' })), 'webhookPublicKey', /elliptic-curve public key/);
    }
    expect(await stored()).toEqual(before);
  });

  it('is for admins only', async () => {
    const before = await stored();
    const calls = scopeCalls().length;
    const res = await connect(validInput({ inboundDomain: 'member.acme.test' }), member.token);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.raw).not.toContain(API_KEY);
    expect(errorCode(await gql(env.t.url, CONNECT, { input: validInput({ inboundDomain: 'anon.acme.test' }) }))).toBe('UNAUTHENTICATED');
    expect(scopeCalls()).toHaveLength(calls);
    expect(await stored()).toEqual(before);
  });

  it('updates the same integration, keeping its webhook URL, when the same sender and domain are connected again', async () => {
    const [before] = await integrations();
    env.sendgrid.addKey({ key: 'SG.rotated.key0123456789', scopes: ['mail.send'] });
    const res = await connect({ apiKey: ' SG.rotated.key0123456789 ', fromEmail: 'Support@ACME.test', fromName: 'Acme Help', inboundDomain: 'Reply.Acme.Test.' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.connectSendGrid).toEqual({ ...before, displayName: 'Acme Help <support@acme.test>', fromName: 'Acme Help' });
    expect(await prisma.integration.count({ where: { provider: 'SENDGRID' } })).toBe(1);
    expect(await prisma.credential.count({ where: { integrationId: env.integrationId } })).toBe(2);
    // The old URL still takes email.
    expect((await post(local(before!.webhookUrl!))).stored).toBe(true);
  });

  it('keeps everything as it was when a reconnect is refused', async () => {
    const before = await stored();
    const [view] = await integrations();
    expectBadInput(await connect(validInput({ apiKey: 'SG.wrong.key0123456789' })), 'apiKey', /rejected/);
    expect(await stored()).toEqual(before);
    expect(await integrations()).toEqual([view]);
    expect((await post(local(view!.webhookUrl!))).stored).toBe(true);
  });

  it('gives another domain its own integration with a different secret', async () => {
    const res = await connect(validInput({ inboundDomain: 'second.acme.test' }));
    expect(res.errors).toBeUndefined();
    const second = res.data!.connectSendGrid;
    expect(second.id).not.toBe(env.integrationId);
    expect(second.inboundDomain).toBe('second.acme.test');
    const [first] = await integrations();
    const secretOf = (url: string) => url.split('/').at(-1)!;
    expect(secretOf(second.webhookUrl!)).not.toBe(secretOf(first!.webhookUrl!));
    // Each URL only opens its own integration.
    const crossed = `${env.t.url}/webhooks/sendgrid/${second.id}/${secretOf(first!.webhookUrl!)}`;
    expect(await post(crossed)).toMatchObject({ status: 403, stored: false });
    expect(await post(local(second.webhookUrl!))).toMatchObject({ status: 200, stored: true });
    await gqlOk(env.t.url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { id } }', { id: second.id }, env.admin.token);
    expect((await post(local(second.webhookUrl!))).status).toBe(410);
  });

  it('keeps workspaces apart: the same sender in another workspace is another integration', async () => {
    const other = await signUp(env.t.url, 'Other Co');
    const res = await connect(validInput(), other.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.connectSendGrid.id).not.toBe(env.integrationId);
    expect((await integrations(other.token)).map((i) => i.id)).toEqual([res.data!.connectSendGrid.id]);
    expect((await integrations()).map((i) => i.id)).toContain(env.integrationId);
  });
});

describe('the webhook URL secret', () => {
  const base = () => `${env.t.url}/webhooks/sendgrid/${env.integrationId}`;
  const secret = () => env.webhookUrl.split('/').at(-1)!;

  it('answers 403 and stores nothing for a wrong, truncated or missing secret', async () => {
    const before = await inboundCount();
    const wrong = [`${base()}/${secret().slice(0, -1)}x`, `${base()}/${secret().slice(0, -2)}`, `${base()}/${secret()}x`, `${base()}/`, base(), `${base()}/${secret().toUpperCase()}`];
    for (const url of wrong) expect(await post(url), url).toMatchObject({ status: 403, stored: false });
    // The Event Webhook URL is guarded by the same secret.
    expect((await postEventWebhook(`${base()}/wrong-secret/events`, [])).status).toBe(403);
    expect(await inboundCount()).toBe(before);
  });

  it('answers 404 for unknown integrations and unknown sub-paths', async () => {
    expect((await post(`${env.t.url}/webhooks/sendgrid/00000000-0000-0000-0000-000000000000/${secret()}`)).status).toBe(404);
    expect((await post(`${base()}/${secret()}/nope`)).status).toBe(404);
    expect((await post(`${base()}/${secret()}/events/more`)).status).toBe(404);
  });
});

describe('signed webhooks (verification key given)', () => {
  const SIGNED_DOMAIN = 'signed.acme.test';
  let keys: WebhookKeys;
  let signed: IntegrationView;
  const url = () => local(signed.webhookUrl!);

  beforeAll(async () => {
    keys = generateWebhookKeys();
    const res = await connect(validInput({ inboundDomain: SIGNED_DOMAIN, webhookPublicKey: keys.publicKey }));
    expect(res.errors).toBeUndefined();
    signed = res.data!.connectSendGrid;
  });

  it('shows the integration as signed and keeps the key in its settings', async () => {
    expect(signed).toMatchObject({ webhookSigned: true, inboundDomain: SIGNED_DOMAIN, status: 'CONNECTED' });
    const row = await prisma.integration.findUniqueOrThrow({ where: { id: signed.id } });
    expect(row.config).toMatchObject({ webhookPublicKey: keys.publicKey });
  });

  it('stores a correctly signed email', async () => {
    expect(await post(url(), email(), { privateKey: keys.privateKey })).toMatchObject({ status: 200, stored: true });
    // A signature a few minutes old (within the window) still passes.
    const recent = String(Math.floor(Date.now() / 1000) - 240);
    expect(await post(url(), email(), { privateKey: keys.privateKey, timestamp: recent })).toMatchObject({ status: 200, stored: true });
  });

  it('refuses unsigned and badly signed posts with 403, storing nothing', async () => {
    const before = await inboundCount();
    expect(await post(url())).toMatchObject({ status: 403, stored: false });
    // Signed by another key.
    expect(await post(url(), email(), { privateKey: generateWebhookKeys().privateKey })).toMatchObject({ status: 403, stored: false });
    // A valid signature of another body.
    const other = email();
    const headers = signatureHeaders(keys.privateKey, other.body);
    expect(await post(url(), email(), { headers })).toMatchObject({ status: 403, stored: false });
    // The body's signature with another timestamp header.
    const ts = String(Math.floor(Date.now() / 1000));
    const form = email();
    const sig = signatureHeaders(keys.privateKey, form.body, ts);
    const shifted = { ...sig, 'X-Twilio-Email-Event-Webhook-Timestamp': String(Number(ts) - 1) };
    expect(await post(url(), form, { headers: shifted })).toMatchObject({ status: 403, stored: false });
    // Garbage in the signature header.
    expect(await post(url(), email(), { headers: { 'X-Twilio-Email-Event-Webhook-Signature': 'bm90IGEgc2lnbmF0dXJl', 'X-Twilio-Email-Event-Webhook-Timestamp': ts } })).toMatchObject({ status: 403, stored: false });
    expect(await inboundCount()).toBe(before);
  });

  it('refuses stale (more than 5 minutes) and far-future timestamps with 403', async () => {
    const before = await inboundCount();
    const now = Math.floor(Date.now() / 1000);
    expect(await post(url(), email(), { privateKey: keys.privateKey, timestamp: String(now - 6 * 60) })).toMatchObject({ status: 403, stored: false });
    expect(await post(url(), email(), { privateKey: keys.privateKey, timestamp: String(now - 3600) })).toMatchObject({ status: 403, stored: false });
    expect(await post(url(), email(), { privateKey: keys.privateKey, timestamp: String(now + 10 * 60) })).toMatchObject({ status: 403, stored: false });
    expect(await post(url(), email(), { privateKey: keys.privateKey, timestamp: 'yesterday' })).toMatchObject({ status: 403, stored: false });
    expect(await inboundCount()).toBe(before);
  });

  it('requires the signature on the Event Webhook too', async () => {
    const mail: SentMail = { messageId: 'W7pXQXm_QpqFHs1j3Kv3Hw', apiKey: API_KEY, headers: {}, at: Date.now(), body: { personalizations: [{ to: [{ email: CUSTOMER_EMAIL }] }], custom_args: { parley_message_id: '00000000-0000-7000-8000-000000000000' } } };
    const events = eventsForMail(mail, 'delivered');
    const eventsUrl = local(signed.statusWebhookUrl!);
    expect((await postEventWebhook(eventsUrl, events)).status).toBe(403);
    expect((await postEventWebhook(eventsUrl, events, { badSignature: true })).status).toBe(403);
    expect((await postEventWebhook(eventsUrl, events, { privateKey: keys.privateKey, timestamp: String(Math.floor(Date.now() / 1000) - 400) })).status).toBe(403);
    expect((await postEventWebhook(eventsUrl, events, { privateKey: keys.privateKey })).status).toBe(200);
  });

  it('leaves the unsigned integration unsigned', async () => {
    expect(await post(local(env.webhookUrl))).toMatchObject({ status: 200, stored: true });
    const views = await integrations();
    expect(views.find((i) => i.id === env.integrationId)?.webhookSigned).toBe(false);
    expect(views.find((i) => i.id === signed.id)?.webhookSigned).toBe(true);
  });

  it('keeps the signed integration\'s URL when it is reconnected, and the new key applies at once', async () => {
    const newKeys = generateWebhookKeys();
    const res = await connect(validInput({ inboundDomain: SIGNED_DOMAIN, webhookPublicKey: newKeys.publicKey }));
    expect(res.errors).toBeUndefined();
    expect(res.data!.connectSendGrid).toMatchObject({ id: signed.id, webhookUrl: signed.webhookUrl, statusWebhookUrl: signed.statusWebhookUrl, webhookSigned: true });
    await eventually(async () => expect(await post(url(), email(), { privateKey: keys.privateKey })).toMatchObject({ status: 403, stored: false }));
    expect(await post(url(), email(), { privateKey: newKeys.privateKey })).toMatchObject({ status: 200, stored: true });
    // A reconnect that does not mention the key keeps it: signing is never switched off by omission.
    const { webhookPublicKey: _omitted, ...withoutKey } = validInput({ inboundDomain: SIGNED_DOMAIN }) as Record<string, unknown>;
    const kept = await connect(withoutKey);
    expect(kept.data!.connectSendGrid).toMatchObject({ id: signed.id, webhookSigned: true });
    expect(await post(url(), email())).toMatchObject({ status: 403, stored: false });
    // An empty key switches it off.
    const off = await connect(validInput({ inboundDomain: SIGNED_DOMAIN, webhookPublicKey: '' }));
    expect(off.data!.connectSendGrid).toMatchObject({ id: signed.id, webhookSigned: false });
    expect(await post(url(), email())).toMatchObject({ status: 200, stored: true });
  });
});
