// One Parley instance, one workspace, connected to all three providers at once
// (the fake Slack, Twilio and SendGrid), for tests of what spans channels:
// one person writing on Slack, by email, SMS and WhatsApp is one contact.
// Teammates: Tess (Slack), Tom (phone) and Tina (email), all Parley members.
import type { PrismaClient } from '../../server/src/db.ts';
import { inboundParseForm, postInboundParse, startFakeSendGrid, type FakeSendGrid, type InboundEmail } from '../fakes/sendgrid/index.ts';
import { eventCallback, messageEvent, postSignedEvent, startFakeSlack, type FakeSlack } from '../fakes/slack/index.ts';
import { inboundSms, inboundWhatsApp, nextMessageSid, postTwilioWebhook, startFakeTwilio, type FakeTwilio } from '../fakes/twilio/index.ts';
import { startTestApp, type TestApp } from './app.ts';
import { signUp, type SignedUp } from './fixtures.ts';
import { gqlOk } from './graphql.ts';
import { API_KEY, FROM_EMAIL, INBOUND_DOMAIN, TEAMMATE_EMAIL, messageId } from './sendgrid.ts';
import { APP_TOKEN, BOT_TOKEN, BOT_USER, CUSTOMER, DM, SIGNING_SECRET, SUPPORT, TEAM, TEAMMATE, providerIdOf } from './slack.ts';
import { ACCOUNT_SID, AUTH_TOKEN, CUSTOMER_PHONE, SMS_NUMBER, TEAMMATE_PHONE, WHATSAPP_NUMBER, taskOfProviderMessage } from './twilio.ts';

export { CUSTOMER, CUSTOMER_PHONE, SUPPORT, TEAM, TEAMMATE, TEAMMATE_EMAIL, TEAMMATE_PHONE, messageId, providerIdOf };

export interface Posted {
  status: number;
  body: string;
  /** The provider message id Parley stores the message under. */
  providerMessageId: string;
}

type Media = { url: string; contentType: string }[];
export type EmailInput = Partial<InboundEmail> & { subject?: string; text?: string };

/** A second workspace on the same instance, with its own SendGrid sender. */
export interface EmailWorkspace {
  admin: SignedUp;
  integrationId: string;
  email(email: EmailInput): Promise<Posted>;
}

export interface AllChannelsEnv {
  t: TestApp;
  slack: FakeSlack;
  twilio: FakeTwilio;
  sendgrid: FakeSendGrid;
  admin: SignedUp;
  workspaceId: string;
  integrations: { slack: string; twilio: string; sendgrid: string };
  /** A message event in #support from the customer (U0CUSTOMER), unless given. */
  slackMessage(input: Partial<Parameters<typeof messageEvent>[0]> & { text: string }): Record<string, unknown>;
  /** Posts a signed Slack event_callback; the provider id is `${channel}:${ts}`. */
  postSlack(event: Record<string, unknown>): Promise<Posted>;
  /** A signed SMS (MMS with media) from `from` (default: CUSTOMER_PHONE) to our SMS number. */
  sms(body: string, opts?: { from?: string; messageSid?: string; media?: Media }): Promise<Posted>;
  /** A signed WhatsApp message to our WhatsApp number. */
  whatsapp(body: string, opts?: { from?: string; profileName?: string; messageSid?: string; media?: Media }): Promise<Posted>;
  /** An Inbound Parse email to support@ (a fresh Message-ID unless headers give one). */
  email(email: EmailInput): Promise<Posted>;
  /** Adds a Slack user to the fake Slack team (users.info answers with this name and email). */
  addSlackUser(id: string, opts: { realName: string; email: string }): void;
  /** The task an inbound message (by integration and provider id) ends up in. */
  taskOf(prisma: PrismaClient, integrationId: string, providerMessageId: string): Promise<string>;
  /** Signs up another workspace on this instance and connects a SendGrid sender there. */
  addEmailWorkspace(name: string): Promise<EmailWorkspace>;
  stop(): Promise<void>;
}

function emailForm(email: EmailInput) {
  const headers = { 'Message-ID': messageId(), ...email.headers };
  const form = inboundParseForm({
    from: 'Eve Example <eve@example.com>',
    to: `Acme Support <${FROM_EMAIL}>`,
    subject: 'Question',
    text: 'Hello',
    ...email,
    headers,
  } as InboundEmail);
  return { form, providerMessageId: headers['Message-ID'] };
}

async function connectSendGrid(url: string, token: string, inboundDomain: string): Promise<{ id: string; webhookUrl: string }> {
  const connected = await gqlOk<{ connectSendGrid: { id: string; webhookUrl: string } }>(
    url,
    'mutation($input: ConnectSendGridInput!) { connectSendGrid(input: $input) { id webhookUrl } }',
    { input: { apiKey: API_KEY, fromEmail: FROM_EMAIL, fromName: 'Acme Support', inboundDomain } },
    token,
  );
  return connected.connectSendGrid;
}

export async function startAllChannelsEnv(opts: { env?: Record<string, string> } = {}): Promise<AllChannelsEnv> {
  const slack = await startFakeSlack({ pingIntervalMs: 1000 });
  slack.addWorkspace({ teamId: TEAM, teamName: 'Acme Customers', domain: 'acme-customers', botToken: BOT_TOKEN, botUserId: BOT_USER, botId: 'B0BOTID001', appToken: APP_TOKEN, appId: 'A0PARLEY' });
  slack.addUser(TEAM, { id: CUSTOMER, name: 'cora', realName: 'Cora Customer', email: 'Cora@Example.com' });
  slack.addUser(TEAM, { id: TEAMMATE, name: 'tess', realName: 'Tess Teammate', email: 'tess@acme.test' });
  slack.addChannel(TEAM, { id: SUPPORT, name: 'support', isMember: true });
  slack.addChannel(TEAM, { id: DM, isIm: true, user: CUSTOMER });
  const twilio = await startFakeTwilio();
  twilio.addAccount({ sid: ACCOUNT_SID, authToken: AUTH_TOKEN, friendlyName: 'Acme Support Line', numbers: [SMS_NUMBER, WHATSAPP_NUMBER] });
  const sendgrid = await startFakeSendGrid();
  sendgrid.addKey({ key: API_KEY, scopes: ['mail.send', 'scopes.read'] });

  const t = await startTestApp({
    env: { SLACK_API_URL: slack.apiUrl, TWILIO_API_URL: twilio.url, SENDGRID_API_URL: sendgrid.url, DEBOUNCE_SECONDS: '1', ...opts.env },
  });
  const admin = await signUp(t.url, 'Acme');
  const addMember = (args: string) => gqlOk(t.url, `mutation { addMember(${args}, password: "long enough password") { id } }`, {}, admin.token);
  await addMember(`name: "Tess", email: "tess@acme.test", slackUserId: "${TEAMMATE}"`);
  await addMember(`name: "Tom", email: "tom@acme.test", phone: "${TEAMMATE_PHONE}"`);
  await addMember(`name: "Tina", email: "${TEAMMATE_EMAIL}"`);

  const slackConnected = await gqlOk<{ connectSlack: { id: string; webhookUrl: string | null } }>(
    t.url,
    'mutation($input: ConnectSlackInput!) { connectSlack(input: $input) { id webhookUrl } }',
    { input: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET } },
    admin.token,
  );
  await gqlOk(t.url, 'mutation($id: ID!, $c: [ID!]!) { setMonitoredChannels(integrationId: $id, channelIds: $c) { id } }', { id: slackConnected.connectSlack.id, c: [SUPPORT] }, admin.token);
  const twilioConnected = await gqlOk<{ connectTwilio: { id: string; webhookUrl: string } }>(
    t.url,
    'mutation($input: ConnectTwilioInput!) { connectTwilio(input: $input) { id webhookUrl } }',
    { input: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER, whatsappNumber: WHATSAPP_NUMBER } },
    admin.token,
  );
  const sendgridConnected = await connectSendGrid(t.url, admin.token, INBOUND_DOMAIN);

  const slackWebhook = slackConnected.connectSlack.webhookUrl ?? '';
  const twilioWebhook = twilioConnected.connectTwilio.webhookUrl;
  const postEmail = async (webhookUrl: string, email: EmailInput): Promise<Posted> => {
    const { form, providerMessageId } = emailForm(email);
    return { ...(await postInboundParse(webhookUrl, form)), providerMessageId };
  };
  const postTwilio = async (params: Record<string, string>, messageSid: string): Promise<Posted> => {
    const res = await postTwilioWebhook(twilioWebhook, AUTH_TOKEN, params);
    return { status: res.status, body: res.body, providerMessageId: messageSid };
  };

  return {
    t,
    slack,
    twilio,
    sendgrid,
    admin,
    workspaceId: admin.workspaceId,
    integrations: { slack: slackConnected.connectSlack.id, twilio: twilioConnected.connectTwilio.id, sendgrid: sendgridConnected.id },
    slackMessage: (input) => messageEvent({ channel: SUPPORT, user: CUSTOMER, channelType: 'channel', ...input }),
    async postSlack(event) {
      const res = await postSignedEvent(slackWebhook, SIGNING_SECRET, eventCallback({ teamId: TEAM, event }));
      return { status: res.status, body: res.text, providerMessageId: providerIdOf(event) };
    },
    sms(body, o = {}) {
      const messageSid = o.messageSid ?? nextMessageSid(o.media?.length ? 'MM' : 'SM');
      return postTwilio(inboundSms({ accountSid: ACCOUNT_SID, from: o.from ?? CUSTOMER_PHONE, to: SMS_NUMBER, body, messageSid, ...(o.media ? { media: o.media } : {}) }), messageSid);
    },
    whatsapp(body, o = {}) {
      const messageSid = o.messageSid ?? nextMessageSid(o.media?.length ? 'MM' : 'SM');
      return postTwilio(
        inboundWhatsApp({
          accountSid: ACCOUNT_SID, from: o.from ?? CUSTOMER_PHONE, to: WHATSAPP_NUMBER, body, messageSid,
          ...(o.profileName !== undefined ? { profileName: o.profileName } : {}), ...(o.media ? { media: o.media } : {}),
        }),
        messageSid,
      );
    },
    email: (email) => postEmail(sendgridConnected.webhookUrl, email),
    addSlackUser(id, o) {
      slack.addUser(TEAM, { id, name: id.toLowerCase(), realName: o.realName, email: o.email });
    },
    taskOf: (prisma, integrationId, providerMessageId) => taskOfProviderMessage(prisma, integrationId, providerMessageId),
    async addEmailWorkspace(name) {
      const other = await signUp(t.url, name);
      // The other workspace's own sender: its own Inbound Parse host and webhook secret.
      const connected = await connectSendGrid(t.url, other.token, `reply-${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.acme.test`);
      return { admin: other, integrationId: connected.id, email: (email) => postEmail(connected.webhookUrl, email) };
    },
    async stop() {
      await t.stop();
      await Promise.all([slack.close(), twilio.close(), sendgrid.close()]);
    },
  };
}

/** GraphQL fields of a task's contact, for cross-channel assertions. */
export const CONTACT_FIELDS = 'id name email phone slackUserId';
