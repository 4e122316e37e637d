// Planted secrets never come back out: not in any API response, not in the
// logs of a run that exercises every query, failed sign-ins and the logger.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { startTestApp, TEST_KEY, type TestApp } from '../helpers/app.ts';
import { addMember, prismaFor, seedConversation, signUp, type SignedUp } from '../helpers/fixtures.ts';
import { collect, gql, wsClient } from '../helpers/graphql.ts';
import { eventually } from '../helpers/wait.ts';

let t: TestApp;
let prisma: PrismaClient;
let admin: SignedUp;
const responses: string[] = [];
const planted = {
  botToken: `xoxb-PLANTED-${randomBytes(10).toString('hex')}`,
  signingSecret: `PLANTEDsigning${randomBytes(10).toString('hex')}`,
  authToken: `PLANTEDauth${randomBytes(10).toString('hex')}`,
  apiKey: `SG.PLANTED.${randomBytes(10).toString('hex')}`,
};

const EVERYTHING = `{
  me { id name email role slackUserId phone }
  workspace { id name }
  members { id name email role }
  apiKeys { id name prefix createdAt lastUsedAt createdBy { id } }
  integrations { id provider status displayName webhookUrl lastError createdAt }
  contacts(first: 50) { edges { cursor node { id name email phone slackUserId createdAt } } pageInfo { hasNextPage endCursor } }
  tasks(first: 50) { edges { cursor node {
    id status channel title type priority triageReason createdAt updatedAt
    contact { id name email phone }
    conversation { channel slackChannelId slackThreadTs address subject integration { id provider status displayName webhookUrl lastError } }
    messages { id direction status error body createdAt author { id } }
    assignee { id } suggestedAssignee { id }
  } } pageInfo { hasNextPage } }
}`;

async function call(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await gql(t.url, query, variables, token);
  responses.push(res.raw);
  return res;
}

beforeAll(async () => {
  t = await startTestApp();
  prisma = prismaFor(t.databaseUrl);
  admin = await signUp(t.url, 'Secretive');
  const seeded = await seedConversation(prisma, admin.workspaceId, { channel: 'SLACK' });
  await t.app.services.credentials.put(seeded.integration.id, planted);
  // Reading them registers them with the log scrubber, as every provider call will.
  expect(await t.app.services.credentials.get(seeded.integration.id)).toEqual(planted);
});

afterAll(async () => {
  await prisma.$disconnect();
  await t.stop();
});

describe('secrets never leak', () => {
  it('keeps credentials, passwords, session tokens and API keys out of responses and logs', async () => {
    const member = await addMember(t.url, admin.token);
    const keyRes = await call('mutation { createApiKey(name: "ci") { key } }', {}, admin.token);
    const apiKey = (keyRes.data as { createApiKey: { key: string } }).createApiKey.key;
    responses.pop(); // the one response that shows the key, by design

    for (const token of [admin.token, member.token, apiKey]) {
      const res = await call(EVERYTHING, {}, token);
      expect(res.errors ?? []).toEqual(token === member.token ? [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] : []);
    }
    // Wrong passwords, a wrong token, and a password in an error path.
    await call('mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', { e: admin.email, p: `${admin.password}-wrong` });
    await call('{ me { id } }', {}, `${admin.token}x`);
    await call('mutation($p: String!) { addMember(name: "X", email: "bad", password: $p) { id } }', { p: admin.password }, admin.token);

    // A subscription over the socket carries the token in connectionParams.
    const client = wsClient(t.wsUrl, admin.token);
    const sub = collect(client, 'subscription { taskUpdated { id } }');
    await eventually(() => expect(t.app.events.subscriberCount).toBe(1));
    sub.stop();
    await client.dispose();

    // Careless logging is still caught: by field name, and by remembered value.
    t.app.services.log.info({ botToken: planted.botToken, nested: { authToken: planted.authToken }, headers: { authorization: `Bearer ${admin.token}` } }, 'debugging an integration');
    t.app.services.log.warn(`provider said no for key ${planted.apiKey} and secret ${planted.signingSecret}`);
    await eventually(() => expect(t.logs.join('\n')).toContain('provider said no'));

    const secrets = [...Object.values(planted), admin.password, member.password, apiKey, TEST_KEY];
    const everyResponse = responses.join('\n');
    const logs = t.logs.join('\n');
    for (const secret of secrets) {
      expect(everyResponse, 'a response leaked a secret').not.toContain(secret);
      expect(logs, 'the logs leaked a secret').not.toContain(secret);
    }
    // Session tokens appear only in the sign-up/sign-in answers, never in logs.
    expect(logs).not.toContain(admin.token);
    expect(logs).not.toContain(member.token);
    expect(logs).toContain('[REDACTED]');
    // The check is live: the run did log requests and the secrets' neighbours.
    expect(logs).toContain('debugging an integration');
    expect(everyResponse).toContain('Integration');
  });

  it('exposes no field that could carry a secret', async () => {
    const res = await call('{ __type(name: "Integration") { fields { name } } }', {}, admin.token);
    const fields = (res.data as { __type: { fields: { name: string }[] } }).__type.fields.map((f) => f.name);
    expect(fields.sort()).toEqual([
      'createdAt', 'displayName', 'fromEmail', 'fromName', 'id', 'inboundDomain', 'lastError', 'provider', 'slackAllowedUserIds', 'smsNumber', 'status',
      'statusWebhookUrl', 'webhookSigned', 'webhookUrl', 'whatsappNumber',
    ]);
    const member = await call('{ __type(name: "Member") { fields { name } } }', {}, admin.token);
    expect(JSON.stringify(member.data)).not.toMatch(/password/i);
  });

  it('stores no secret in clear in the database', async () => {
    const rows = await prisma.credential.findMany();
    expect(rows.length).toBe(Object.keys(planted).length);
    const dump = JSON.stringify(await prisma.$queryRawUnsafe('SELECT encode(ciphertext, \'escape\') AS c FROM "Credential"'));
    for (const secret of Object.values(planted)) expect(dump).not.toContain(secret);
    const members = await prisma.member.findMany();
    expect(JSON.stringify(members)).not.toContain(admin.password);
    expect(JSON.stringify(await prisma.session.findMany())).not.toContain(admin.token);
  });
});
