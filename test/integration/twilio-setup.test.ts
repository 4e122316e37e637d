// Connecting Twilio through GraphQL: the credentials are checked by fetching
// the account with the official client (TWILIO_API_URL = the fake), nothing is
// stored when they are wrong, the numbers are E.164, the auth token is
// encrypted and never shown, reconnecting updates the same integration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { inboundSms, nextMessageSid, postTwilioWebhook, randomSid } from '../fakes/twilio/index.ts';
import { addMember, prismaFor, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { errorCode, gql, gqlOk, type GqlResult } from '../helpers/graphql.ts';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER_PHONE, SMS_NUMBER, WHATSAPP_NUMBER, startTwilioEnv, type TwilioEnv } from '../helpers/twilio.ts';

const PUBLIC_URL = 'https://parley.example.test';
let env: TwilioEnv;
let prisma: PrismaClient;
let member: SignedUp;

beforeAll(async () => {
  env = await startTwilioEnv({ env: { PUBLIC_URL } });
  prisma = prismaFor(env.t.databaseUrl);
  member = await addMember(env.t.url, env.admin.token, 'MEMBER');
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.stop();
});

const INTEGRATION_FIELDS = 'id provider status displayName webhookUrl statusWebhookUrl smsNumber whatsappNumber lastError createdAt fromEmail fromName inboundDomain webhookSigned slackAllowedUserIds';
interface IntegrationView {
  id: string;
  provider: string;
  status: string;
  displayName: string;
  webhookUrl: string | null;
  statusWebhookUrl: string | null;
  smsNumber: string | null;
  whatsappNumber: string | null;
  lastError: string | null;
}
const CONNECT = `mutation($input: ConnectTwilioInput!) { connectTwilio(input: $input) { ${INTEGRATION_FIELDS} } }`;
const connect = (input: Record<string, unknown>, token = env.admin.token) => gql<{ connectTwilio: IntegrationView }>(env.t.url, CONNECT, { input }, token);
const integrations = async (token = env.admin.token) => gql<{ integrations: IntegrationView[] }>(env.t.url, `{ integrations { ${INTEGRATION_FIELDS} } }`, {}, token);
const stored = async () => ({ integrations: await prisma.integration.count(), credentials: await prisma.credential.count() });
const fetchesOf = (sid: string) => env.twilio.calls.filter((c) => c.op === 'accounts.fetch' && c.path.includes(sid));
/** The webhook at its real address, signed over the public one (PUBLIC_URL names a host that does not exist here). */
const postSms = (integrationId: string, token: string, accountSid: string, body = 'hello') => {
  const path = `/webhooks/twilio/${integrationId}`;
  const params = inboundSms({ accountSid, from: CUSTOMER_PHONE, to: SMS_NUMBER, body, messageSid: nextMessageSid() });
  return postTwilioWebhook(`${env.t.url}${path}`, token, params, { signatureUrl: `${PUBLIC_URL}${path}` });
};

function expectBadInput(res: GqlResult, field: string, message: RegExp): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', field } });
}

let accounts = 0;
/** Another account on the fake Twilio. */
function newAccount(spec: { friendlyName?: string; status?: 'active' | 'suspended' | 'closed'; numbers?: string[] } = {}) {
  const sid = randomSid('AC');
  const authToken = `token-${++accounts}-${sid.slice(-8)}`;
  env.twilio.addAccount({ sid, authToken, friendlyName: spec.friendlyName ?? `Account ${accounts}`, numbers: spec.numbers ?? ['+15550009999'], ...(spec.status ? { status: spec.status } : {}) });
  return { sid, authToken };
}

describe('connectTwilio', () => {
  it('checks the credentials by fetching the account, names the integration after it and builds the webhook URL from PUBLIC_URL', async () => {
    const res = await integrations();
    expect(res.errors).toBeUndefined();
    expect(res.data!.integrations).toEqual([
      expect.objectContaining({
        id: env.integrationId,
        provider: 'TWILIO',
        status: 'CONNECTED',
        displayName: 'Acme Support Line',
        webhookUrl: `${PUBLIC_URL}/webhooks/twilio/${env.integrationId}`,
        statusWebhookUrl: null,
        smsNumber: SMS_NUMBER,
        whatsappNumber: WHATSAPP_NUMBER,
        lastError: null,
      }),
    ]);
    expect(env.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/twilio/${env.integrationId}`);
    // Through the official client, at TWILIO_API_URL, with the account's own credentials.
    expect(fetchesOf(ACCOUNT_SID)).toEqual([expect.objectContaining({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT_SID}.json`, accountSid: ACCOUNT_SID, status: 200 })]);
    const row = await prisma.integration.findUniqueOrThrow({ where: { id: env.integrationId } });
    expect(row.config).toMatchObject({ accountSid: ACCOUNT_SID, smsNumber: SMS_NUMBER, whatsappNumber: WHATSAPP_NUMBER });
    // The token it stored is the one that verifies Twilio's webhooks.
    expect((await postSms(env.integrationId, AUTH_TOKEN, ACCOUNT_SID)).status).toBe(200);
    expect((await postSms(env.integrationId, 'another-token', ACCOUNT_SID)).status).toBe(403);
  });

  it('encrypts the auth token at rest and never returns or logs it', async () => {
    const row = await prisma.integration.findUniqueOrThrow({ where: { id: env.integrationId }, include: { credentials: true } });
    expect(row.credentials.map((c) => c.name)).toEqual(['authToken']);
    const bytes = Buffer.from(row.credentials[0]!.ciphertext);
    for (const encoding of ['utf8', 'latin1', 'base64', 'hex'] as const) expect(bytes.toString(encoding)).not.toContain(AUTH_TOKEN);
    expect(bytes.includes(Buffer.from(AUTH_TOKEN))).toBe(false);
    expect(JSON.stringify(row)).not.toContain(AUTH_TOKEN);
    // Not in any field of any response: the connect answer, the list, a reconnect.
    const again = await connect({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER, whatsappNumber: WHATSAPP_NUMBER });
    expect(again.errors).toBeUndefined();
    expect(again.raw).not.toContain(AUTH_TOKEN);
    expect((await integrations()).raw).not.toContain(AUTH_TOKEN);
    // Twilio's account resource carries the token; none of it reaches the logs.
    expect(env.t.logs.length).toBeGreaterThan(0);
    expect(env.t.logs.filter((l) => l.includes(AUTH_TOKEN))).toEqual([]);
  });

  it('refuses wrong credentials with a BAD_USER_INPUT naming the auth token, storing nothing', async () => {
    const before = await stored();
    const wrongToken = await connect({ accountSid: ACCOUNT_SID, authToken: 'not-the-token-at-all', smsNumber: SMS_NUMBER });
    expectBadInput(wrongToken, 'authToken', /rejected.*(Account SID|auth token)/i);
    expect(fetchesOf(ACCOUNT_SID).at(-1)).toMatchObject({ status: 401 });
    expect(fetchesOf(ACCOUNT_SID).at(-1)).not.toHaveProperty('accountSid'); // the fake did not authenticate it
    // A well-formed SID Twilio does not know: the same answer (Twilio cannot tell them apart either).
    const unknownSid = randomSid('AC');
    expectBadInput(await connect({ accountSid: unknownSid, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER }), 'authToken', /rejected/i);
    expect(fetchesOf(unknownSid)).toHaveLength(1);
    expect(await stored()).toEqual(before);
    // The existing integration is untouched by the failed attempts.
    expect((await integrations()).data!.integrations.map((i) => [i.id, i.status, i.lastError])).toEqual([[env.integrationId, 'CONNECTED', null]]);
  });

  it('refuses a malformed Account SID and a missing token before calling Twilio', async () => {
    const before = await stored();
    const calls = env.twilio.calls.length;
    for (const accountSid of ['AC123', 'SK0123456789abcdef0123456789abcdef', `AC${'g'.repeat(32)}`, '', `${ACCOUNT_SID}0`]) {
      expectBadInput(await connect({ accountSid, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER }), 'accountSid', /AC followed by 32 hex/);
    }
    expectBadInput(await connect({ accountSid: ACCOUNT_SID, authToken: '   ', smsNumber: SMS_NUMBER }), 'authToken', /auth token is required/);
    expect(env.twilio.calls.length).toBe(calls);
    expect(await stored()).toEqual(before);
  });

  it('requires at least one number, in E.164', async () => {
    const before = await stored();
    const calls = env.twilio.calls.length;
    const base = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN };
    expectBadInput(await connect(base), 'smsNumber', /SMS number, the WhatsApp number, or both/);
    expectBadInput(await connect({ ...base, smsNumber: '', whatsappNumber: '  ' }), 'smsNumber', /SMS number, the WhatsApp number, or both/);
    expectBadInput(await connect({ ...base, smsNumber: null, whatsappNumber: null }), 'smsNumber', /or both/);
    expectBadInput(await connect({ ...base, smsNumber: '4155550100' }), 'smsNumber', /E\.164.*4155550100/);
    expectBadInput(await connect({ ...base, smsNumber: 'support line' }), 'smsNumber', /E\.164/);
    expectBadInput(await connect({ ...base, smsNumber: SMS_NUMBER, whatsappNumber: '+1 555' }), 'whatsappNumber', /whatsappNumber must be a phone number in E\.164/);
    expect(env.twilio.calls.length).toBe(calls);
    expect(await stored()).toEqual(before);
  });

  it('refuses a suspended or closed account, storing nothing', async () => {
    const before = await stored();
    for (const status of ['suspended', 'closed'] as const) {
      const a = newAccount({ status });
      expectBadInput(await connect({ accountSid: a.sid, authToken: a.authToken, smsNumber: '+15550009999' }), 'accountSid', new RegExp(`account is ${status}.*active`, 'i'));
      expect(fetchesOf(a.sid)).toEqual([expect.objectContaining({ status: 200 })]);
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses when Twilio cannot be reached, storing nothing', async () => {
    const before = await stored();
    const a = newAccount();
    env.twilio.failNext('accounts.fetch', { status: 503 });
    expectBadInput(await connect({ accountSid: a.sid, authToken: a.authToken, smsNumber: '+15550009999' }), 'accountSid', /Could not reach Twilio/);
    expect(await stored()).toEqual(before);
  });

  it('is for admins only', async () => {
    const before = await stored();
    const calls = env.twilio.calls.length;
    const res = await connect({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: '+15550003333' }, member.token);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.data ?? null).toBeNull();
    const anonymous = await gql(env.t.url, CONNECT, { input: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER } });
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    expect(env.twilio.calls.length).toBe(calls);
    expect(await stored()).toEqual(before);
    expect((await prisma.integration.findUniqueOrThrow({ where: { id: env.integrationId } })).config).toMatchObject({ smsNumber: SMS_NUMBER });
  });

  it('normalises the numbers and takes a WhatsApp number alone', async () => {
    const a = newAccount({ friendlyName: '' });
    const res = await connect({ accountSid: ` ${a.sid} `, authToken: ` ${a.authToken} `, whatsappNumber: 'whatsapp:+44 7700 900123' });
    expect(res.errors).toBeUndefined();
    const created = res.data!.connectTwilio;
    // No friendly name: the SID stands in.
    expect(created).toMatchObject({ provider: 'TWILIO', status: 'CONNECTED', displayName: a.sid, smsNumber: null, whatsappNumber: '+447700900123', webhookUrl: `${PUBLIC_URL}/webhooks/twilio/${created.id}` });
    expect(created.id).not.toBe(env.integrationId);
    // The token was trimmed before it was stored: it verifies webhooks.
    expect((await postSms(created.id, a.authToken, a.sid)).status).toBe(200);
    const b = newAccount();
    const sms = await connect({ accountSid: b.sid, authToken: b.authToken, smsNumber: '+1 (555) 000-4444' });
    expect(sms.data?.connectTwilio).toMatchObject({ smsNumber: '+15550004444', whatsappNumber: null });
  });

  it('updates the same integration when the same account is connected again, with the new token, numbers and name', async () => {
    const before = await stored();
    // An integration marked ERROR earlier (e.g. a rotated token) is healthy again after a reconnect.
    await prisma.integration.update({ where: { id: env.integrationId }, data: { status: 'ERROR', lastError: 'Twilio rejected the Account SID and auth token.' } });
    const account = env.twilio.account(ACCOUNT_SID);
    const newToken = 'rotated-auth-token-abcdef0123456789';
    account.authToken = newToken;
    account.friendlyName = 'Acme Support (renamed)';
    try {
      const res = await connect({ accountSid: ACCOUNT_SID, authToken: newToken, smsNumber: '+15550003333' });
      expect(res.errors).toBeUndefined();
      expect(res.data!.connectTwilio).toMatchObject({
        id: env.integrationId,
        status: 'CONNECTED',
        lastError: null,
        displayName: 'Acme Support (renamed)',
        smsNumber: '+15550003333',
        whatsappNumber: null,
        webhookUrl: `${PUBLIC_URL}/webhooks/twilio/${env.integrationId}`,
      });
      expect(res.raw).not.toContain(newToken);
      expect(await stored()).toEqual(before);
      expect(await prisma.credential.count({ where: { integrationId: env.integrationId } })).toBe(1);
      // Webhooks are now checked with the new token only.
      expect((await postSms(env.integrationId, AUTH_TOKEN, ACCOUNT_SID)).status).toBe(403);
      expect((await postSms(env.integrationId, newToken, ACCOUNT_SID)).status).toBe(200);
    } finally {
      account.authToken = AUTH_TOKEN;
      account.friendlyName = 'Acme Support Line';
    }
    const back = await connect({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER, whatsappNumber: WHATSAPP_NUMBER });
    expect(back.data?.connectTwilio).toMatchObject({ id: env.integrationId, displayName: 'Acme Support Line', smsNumber: SMS_NUMBER, whatsappNumber: WHATSAPP_NUMBER });
    expect((await postSms(env.integrationId, AUTH_TOKEN, ACCOUNT_SID)).status).toBe(200);
  });

  it('keeps workspaces apart: another workspace connecting the same account gets its own integration', async () => {
    const other = await signUp(env.t.url, 'Other Co');
    const res = await connect({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER }, other.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.connectTwilio.id).not.toBe(env.integrationId);
    expect((await integrations(other.token)).data!.integrations.map((i) => i.id)).toEqual([res.data!.connectTwilio.id]);
    expect((await integrations()).data!.integrations.map((i) => i.id)).toContain(env.integrationId);
    expect((await integrations()).data!.integrations.map((i) => i.id)).not.toContain(res.data!.connectTwilio.id);
  });

  it('starts afresh after a disconnect: the old webhook answers 410, connecting again makes a new integration', async () => {
    await gqlOk(env.t.url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { id status } }', { id: env.integrationId }, env.admin.token);
    expect(await prisma.credential.count({ where: { integrationId: env.integrationId } })).toBe(0);
    expect((await postSms(env.integrationId, AUTH_TOKEN, ACCOUNT_SID)).status).toBe(410);
    const res = await connect({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER });
    const fresh = res.data!.connectTwilio;
    expect(fresh.id).not.toBe(env.integrationId);
    expect(fresh).toMatchObject({ status: 'CONNECTED', webhookUrl: `${PUBLIC_URL}/webhooks/twilio/${fresh.id}` });
    const list = (await integrations()).data!.integrations;
    expect(list.find((i) => i.id === env.integrationId)?.status).toBe('DISCONNECTED');
    expect((await postSms(env.integrationId, AUTH_TOKEN, ACCOUNT_SID)).status).toBe(410);
    expect((await postSms(fresh.id, AUTH_TOKEN, ACCOUNT_SID)).status).toBe(200);
  });
});
