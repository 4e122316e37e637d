// A Parley instance wired to the fake Slack, with one connected workspace:
// #support (bot is a member, monitored), #random (bot not a member), a
// customer with an email, and a teammate who is a Parley member.
import { startFakeSlack, eventCallback, messageEvent, postSignedEvent, type FakeSlack } from '../fakes/slack/index.ts';
import { startTestApp, type TestApp } from './app.ts';
import { signUp, type SignedUp } from './fixtures.ts';
import { gqlOk } from './graphql.ts';
import { eventually } from './wait.ts';
import { expect } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';

export const TEAM = 'T0PARLEY1';
export const BOT_TOKEN = 'xoxb-test-bot-token-1234';
export const SIGNING_SECRET = 'f00dfacecafebeef0123456789abcdef';
export const APP_TOKEN = 'xapp-1-A0PARLEY-test-app-token';
export const BOT_USER = 'U0BOTUSER1';
export const CUSTOMER = 'U0CUSTOMER';
export const TEAMMATE = 'U0TEAMMATE';
export const SUPPORT = 'C0SUPPORT1';
export const RANDOM = 'C0RANDOM01';
export const DM = 'D0DIRECT01';

export interface SlackEnv {
  slack: FakeSlack;
  t: TestApp;
  admin: SignedUp;
  integrationId: string;
  webhookUrl: string;
  /** Posts a signed event_callback for this team. */
  post(event: Record<string, unknown>, opts?: Parameters<typeof postSignedEvent>[3] & { eventId?: string }): Promise<{ status: number; text: string }>;
  message(input: Partial<Parameters<typeof messageEvent>[0]> & { text: string }): Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startSlackEnv(opts: { env?: Record<string, string>; socketMode?: boolean; databaseUrl?: string } = {}): Promise<SlackEnv> {
  const slack = await startFakeSlack({ pingIntervalMs: 1000 });
  slack.addWorkspace({ teamId: TEAM, teamName: 'Acme Customers', domain: 'acme-customers', botToken: BOT_TOKEN, botUserId: BOT_USER, botId: 'B0BOTID001', appToken: APP_TOKEN, appId: 'A0PARLEY' });
  slack.addUser(TEAM, { id: CUSTOMER, name: 'cora', realName: 'Cora Customer', email: 'Cora@Example.com' });
  slack.addUser(TEAM, { id: TEAMMATE, name: 'tess', realName: 'Tess Teammate', email: 'tess@acme.test' });
  slack.addChannel(TEAM, { id: SUPPORT, name: 'support', isMember: true });
  slack.addChannel(TEAM, { id: RANDOM, name: 'random', isMember: false });
  slack.addChannel(TEAM, { id: DM, isIm: true, user: CUSTOMER });
  const t = await startTestApp({ ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), env: { SLACK_API_URL: slack.apiUrl, DEBOUNCE_SECONDS: '1', ...opts.env } });
  const admin = await signUp(t.url, 'Acme');
  await gqlOk(t.url, `mutation { addMember(name: "Tess", email: "tess@acme.test", password: "long enough password", slackUserId: "${TEAMMATE}") { id } }`, {}, admin.token);
  const input = opts.socketMode ? { botToken: BOT_TOKEN, appToken: APP_TOKEN } : { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET };
  const connected = await gqlOk<{ connectSlack: { id: string; webhookUrl: string | null } }>(
    t.url,
    'mutation($input: ConnectSlackInput!) { connectSlack(input: $input) { id webhookUrl } }',
    { input },
    admin.token,
  );
  const integrationId = connected.connectSlack.id;
  await gqlOk(t.url, 'mutation($id: ID!, $c: [ID!]!) { setMonitoredChannels(integrationId: $id, channelIds: $c) { id } }', { id: integrationId, c: [SUPPORT] }, admin.token);
  const webhookUrl = connected.connectSlack.webhookUrl ?? '';
  return {
    slack,
    t,
    admin,
    integrationId,
    webhookUrl,
    post: (event, o = {}) => postSignedEvent(webhookUrl, SIGNING_SECRET, eventCallback({ teamId: TEAM, event, ...(o.eventId ? { eventId: o.eventId } : {}) }), o),
    message: (input) => messageEvent({ channel: SUPPORT, user: CUSTOMER, channelType: 'channel', ...input }),
    async stop() {
      await t.stop();
      await slack.close();
    },
  };
}

export const TASK_FIELDS = `id status channel title
  contact { id name email slackUserId }
  conversation { channel slackChannelId slackChannelName slackThreadTs integration { id } }
  messages { id direction status body error author { id } }`;

export type SlackEvent = Record<string, unknown>;

/** The provider message id Parley stores for a Slack message event. */
export const providerIdOf = (e: SlackEvent) => `${String(e.channel)}:${String(e.ts)}`;

/** The task an inbound message ended up in, once it has one. */
export function taskIdOf(env: SlackEnv, prisma: PrismaClient, e: SlackEvent): Promise<string> {
  return eventually(async () => {
    const m = await prisma.message.findFirst({ where: { integrationId: env.integrationId, providerMessageId: providerIdOf(e) } });
    expect(m?.taskId).toBeTruthy();
    return m!.taskId!;
  }, { timeoutMs: 20_000 });
}
