// Connecting Slack and choosing channels, through GraphQL: token validation
// (nothing stored when wrong), encrypted secrets, webhook URL, reconnects,
// live channel lists over every page, monitored channels, revoked tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { eventCallback, postSignedEvent, urlVerification } from '../fakes/slack/index.ts';
import { addMember, prismaFor, type SignedUp } from '../helpers/fixtures.ts';
import { errorCode, gql, gqlOk, type GqlResult } from '../helpers/graphql.ts';
import { BOT_TOKEN, BOT_USER, CUSTOMER, RANDOM, SIGNING_SECRET, SUPPORT, TEAM, startSlackEnv, type SlackEnv } from '../helpers/slack.ts';

const PUBLIC_URL = 'https://parley.example.test';
let env: SlackEnv;
let prisma: PrismaClient;
let member: SignedUp;
let integrationId: string;

beforeAll(async () => {
  env = await startSlackEnv({ env: { PUBLIC_URL } });
  integrationId = env.integrationId;
  prisma = prismaFor(env.t.databaseUrl);
  member = await addMember(env.t.url, env.admin.token, 'MEMBER');
});

afterAll(async () => {
  await prisma.$disconnect();
  await env.stop();
});

const CONNECT = 'mutation($input: ConnectSlackInput!) { connectSlack(input: $input) { id status displayName webhookUrl slackAllowedUserIds } }';
const CHANNELS = 'query($id: ID!) { slackChannels(integrationId: $id) { id name isMember monitored } }';
const MONITOR = 'mutation($id: ID!, $c: [ID!]!) { setMonitoredChannels(integrationId: $id, channelIds: $c) { id name isMember monitored } }';
const connect = (input: Record<string, unknown>, token = env.admin.token) => gql<{ connectSlack: { id: string; status: string; displayName: string; webhookUrl: string | null; slackAllowedUserIds: string[] } }>(env.t.url, CONNECT, { input }, token);
type Channel = { id: string; name: string; isMember: boolean; monitored: boolean };
const channels = (id = integrationId) => gql<{ slackChannels: Channel[] }>(env.t.url, CHANNELS, { id }, env.admin.token);
const monitor = (c: string[], token = env.admin.token) => gql<{ setMonitoredChannels: Channel[] }>(env.t.url, MONITOR, { id: integrationId, c }, token);
const integrations = async () => (await gqlOk<{ integrations: { id: string; status: string; displayName: string; webhookUrl: string | null; lastError: string | null }[] }>(env.t.url, '{ integrations { id status displayName webhookUrl lastError } }', {}, env.admin.token)).integrations;
const stored = async () => ({ integrations: await prisma.integration.count(), credentials: await prisma.credential.count() });
/** The webhook at its real address (PUBLIC_URL names a host that does not exist here). */
const webhook = (id = integrationId) => `${env.t.url}/webhooks/slack/${id}`;

function expectBadInput(res: GqlResult, field: string | undefined, message: RegExp): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } });
}

describe('connectSlack', () => {
  it('names the integration after the Slack workspace, builds the webhook URL from PUBLIC_URL and encrypts the secrets', async () => {
    expect(await integrations()).toEqual([{ id: integrationId, status: 'CONNECTED', displayName: 'Acme Customers', webhookUrl: `${PUBLIC_URL}/webhooks/slack/${integrationId}`, lastError: null }]);
    expect(env.slack.callsTo('auth.test').map((c) => c.token)).toContain(BOT_TOKEN);
    const row = await prisma.integration.findUniqueOrThrow({ where: { id: integrationId }, include: { credentials: true } });
    expect(row.config).toMatchObject({ teamId: TEAM, teamName: 'Acme Customers', botUserId: BOT_USER, botId: 'B0BOTID001', mode: 'events', allowedUserIds: [] });
    expect(row.credentials.map((c) => c.name).sort()).toEqual(['botToken', 'signingSecret']);
    for (const c of row.credentials) {
      const bytes = Buffer.from(c.ciphertext);
      for (const secret of [BOT_TOKEN, SIGNING_SECRET]) {
        expect(bytes.includes(Buffer.from(secret))).toBe(false);
        expect(bytes.toString('latin1')).not.toContain(secret);
      }
    }
    expect(JSON.stringify(row.config)).not.toContain(BOT_TOKEN);
    // The stored signing secret is the one that verifies webhooks.
    expect((await postSignedEvent(webhook(), SIGNING_SECRET, urlVerification('ok-1'))).text).toBe('ok-1');
  });

  it('refuses a wrong bot token with invalid_auth and stores nothing', async () => {
    const before = await stored();
    const res = await connect({ botToken: 'xoxb-0000-wrong-token', signingSecret: 'abc123' });
    expectBadInput(res, 'botToken', /invalid_auth/);
    expect(env.slack.callsTo('auth.test').at(-1)).toMatchObject({ token: 'xoxb-0000-wrong-token', error: 'invalid_auth' });
    expect(await stored()).toEqual(before);
  });

  it('refuses user tokens and stores nothing', async () => {
    const before = await stored();
    expectBadInput(await connect({ botToken: 'xoxp-1234-user-token', signingSecret: 'abc123' }), 'botToken', /xoxb-/);
    // A token whose auth.test names no bot (what a user token looks like to auth.test).
    env.slack.addWorkspace({ teamId: 'T0HUMANS1', teamName: 'Humans Inc', botToken: 'xoxb-user-like-token', botUserId: 'U0HUMAN001', botId: '' });
    expectBadInput(await connect({ botToken: 'xoxb-user-like-token', signingSecret: 'abc123' }), 'botToken', /user token/);
    expect(await stored()).toEqual(before);
  });

  it('requires a signing secret or an app-level token', async () => {
    const before = await stored();
    const calls = env.slack.callsTo('auth.test').length;
    expectBadInput(await connect({ botToken: BOT_TOKEN }), 'signingSecret', /signing secret.*app-level token/);
    expectBadInput(await connect({ botToken: BOT_TOKEN, signingSecret: '   ', appToken: '' }), 'signingSecret', /signing secret/);
    expect(env.slack.callsTo('auth.test')).toHaveLength(calls);
    expect(await stored()).toEqual(before);
  });

  it('is for admins only, like the other Slack settings', async () => {
    const before = await stored();
    const attempts = [
      await connect({ botToken: BOT_TOKEN, signingSecret: 'member-secret' }, member.token),
      await monitor([SUPPORT], member.token),
      await gql(env.t.url, 'mutation($id: ID!) { setSlackAllowedUsers(integrationId: $id, userIds: []) { id } }', { id: integrationId }, member.token),
      await gql(env.t.url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { id } }', { id: integrationId }, member.token),
    ];
    expect(attempts.map(errorCode)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(await stored()).toEqual(before);
    expect((await integrations())[0]).toMatchObject({ status: 'CONNECTED' });
  });

  it('updates the same integration when the same workspace is connected again', async () => {
    await gqlOk(env.t.url, 'mutation($id: ID!, $u: [String!]!) { setSlackAllowedUsers(integrationId: $id, userIds: $u) { id } }', { id: integrationId, u: [CUSTOMER] }, env.admin.token);
    const res = await connect({ botToken: BOT_TOKEN, signingSecret: 'the-new-signing-secret' });
    expect(res.errors).toBeUndefined();
    // New secrets, same integration, same monitored channels, same allowed users (not given this time).
    expect(res.data?.connectSlack).toEqual({ id: integrationId, status: 'CONNECTED', displayName: 'Acme Customers', webhookUrl: `${PUBLIC_URL}/webhooks/slack/${integrationId}`, slackAllowedUserIds: [CUSTOMER] });
    expect(await prisma.integration.count()).toBe(1);
    expect(await prisma.credential.count({ where: { integrationId } })).toBe(2);
    expect((await postSignedEvent(webhook(), SIGNING_SECRET, urlVerification('old'))).status).toBe(401);
    expect((await postSignedEvent(webhook(), 'the-new-signing-secret', urlVerification('new'))).text).toBe('new');
    expect((await channels()).data?.slackChannels.find((c) => c.id === SUPPORT)).toMatchObject({ monitored: true });
    const cleared = await connect({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, allowedUserIds: [] });
    expect(cleared.data?.connectSlack).toMatchObject({ id: integrationId, slackAllowedUserIds: [] });
    expectBadInput(await connect({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, allowedUserIds: ['not-a-user'] }), 'allowedUserIds', /not-a-user/);
  });
});

describe('Slack channels', () => {
  it('lists every page of public and private channels, with membership and monitoring', async () => {
    for (let i = 0; i < 250; i++) {
      const id = `C0BULK${String(i).padStart(4, '0')}`;
      env.slack.addChannel(TEAM, { id, name: `bulk-${String(i).padStart(3, '0')}`, isMember: i % 3 !== 0 || i % 10 === 1, isPrivate: i % 10 === 1 }); // the bot sees private channels it is in
    }
    const before = env.slack.callsTo('conversations.list').length;
    const res = await channels();
    expect(res.errors).toBeUndefined();
    const list = res.data!.slackChannels;
    expect(list).toHaveLength(252);
    expect(new Set(list.map((c) => c.id)).size).toBe(252);
    expect(list.find((c) => c.id === SUPPORT)).toEqual({ id: SUPPORT, name: 'support', isMember: true, monitored: true });
    expect(list.find((c) => c.id === RANDOM)).toEqual({ id: RANDOM, name: 'random', isMember: false, monitored: false });
    expect(list.find((c) => c.id === 'C0BULK0000')).toEqual({ id: 'C0BULK0000', name: 'bulk-000', isMember: false, monitored: false });
    expect(list.find((c) => c.id === 'C0BULK0001')).toEqual({ id: 'C0BULK0001', name: 'bulk-001', isMember: true, monitored: false });
    expect(list.find((c) => c.id === 'C0BULK0021')).toEqual({ id: 'C0BULK0021', name: 'bulk-021', isMember: true, monitored: false }); // private
    expect(list.find((c) => c.id === 'C0BULK0249')).toMatchObject({ name: 'bulk-249', isMember: false });
    expect(list.filter((c) => c.monitored).map((c) => c.id)).toEqual([SUPPORT]);
    const pages = env.slack.callsTo('conversations.list').slice(before);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[0]!.params.types).toBe('public_channel,private_channel');
    expect(pages.slice(1).every((p) => typeof p.params.cursor === 'string' && p.params.cursor.length > 0)).toBe(true);
  });

  it('monitors only channels the bot is in, naming the others', async () => {
    expectBadInput(await monitor([SUPPORT, RANDOM]), 'channelIds', /Invite the bot to #random/);
    expectBadInput(await monitor(['C0DOESNOTEXIST']), 'channelIds', /C0DOESNOTEXIST/);
    expect((await channels()).data!.slackChannels.filter((c) => c.monitored).map((c) => c.id)).toEqual([SUPPORT]);

    const res = await monitor(['C0BULK0001', 'C0BULK0002']);
    expect(res.errors).toBeUndefined();
    expect(res.data!.setMonitoredChannels.filter((c) => c.monitored).map((c) => c.id).sort()).toEqual(['C0BULK0001', 'C0BULK0002']);
    expect((await channels()).data!.slackChannels.filter((c) => c.monitored).map((c) => c.id).sort()).toEqual(['C0BULK0001', 'C0BULK0002']);

    // The choice takes effect for inbound events: the new channel is taken, #support no longer.
    const taken = env.message({ channel: 'C0BULK0002', text: 'in a newly monitored channel' });
    const ignored = env.message({ channel: SUPPORT, text: 'in a channel no longer monitored' });
    for (const e of [taken, ignored]) expect((await postSignedEvent(webhook(), SIGNING_SECRET, eventCallback({ teamId: TEAM, event: e }))).status).toBe(200);
    const rows = await prisma.message.findMany({ where: { integrationId, providerMessageId: { in: [`C0BULK0002:${String(taken.ts)}`, `${SUPPORT}:${String(ignored.ts)}`] } } });
    expect(rows.map((r) => r.body)).toEqual(['in a newly monitored channel']);
    expect(rows[0]!.conversation).toMatchObject({ slackChannelId: 'C0BULK0002', slackChannelName: 'bulk-002' });
    await monitor([SUPPORT]);
  });

  it('starts afresh after a disconnect: connecting again makes a new integration', async () => {
    await gqlOk(env.t.url, 'mutation($id: ID!) { disconnectIntegration(id: $id) { id } }', { id: integrationId }, env.admin.token);
    expectBadInput(await channels(), undefined, /disconnected/);
    const res = await connect({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
    const fresh = res.data!.connectSlack;
    expect(fresh.id).not.toBe(integrationId);
    expect(fresh).toMatchObject({ status: 'CONNECTED', webhookUrl: `${PUBLIC_URL}/webhooks/slack/${fresh.id}` });
    expect((await integrations()).map((i) => [i.id, i.status])).toEqual([[integrationId, 'DISCONNECTED'], [fresh.id, 'CONNECTED']]);
    expect((await postSignedEvent(webhook(integrationId), SIGNING_SECRET, urlVerification('x'))).status).toBe(410);
    expect((await postSignedEvent(webhook(fresh.id), SIGNING_SECRET, urlVerification('y'))).text).toBe('y');
    integrationId = fresh.id;
  });

  it('reports a token revoked later: slackChannels fails and the integration shows ERROR with the reason', async () => {
    expect((await channels()).errors).toBeUndefined();
    env.slack.revokeToken(BOT_TOKEN, 'token_revoked');
    expectBadInput(await channels(), undefined, /revoked/);
    expect((await integrations()).find((i) => i.id === integrationId)).toMatchObject({ status: 'ERROR', lastError: expect.stringMatching(/revoked.*reconnect/i) });
    expectBadInput(await monitor([SUPPORT]), undefined, /revoked/);
    // Reconnecting with the dead token is refused and changes nothing.
    const before = await stored();
    expectBadInput(await connect({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET }), 'botToken', /token_revoked/);
    expect(await stored()).toEqual(before);
    expect((await integrations()).find((i) => i.id === integrationId)).toMatchObject({ status: 'ERROR' });
  });
});
