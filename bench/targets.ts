// What the webhook benchmark sends, per provider: how to connect it through
// GraphQL, one signed request per new customer message, and the row the raw
// pg floor inserts for the same message.
import { randomBytes } from 'node:crypto';
import { eventCallback, messageEvent, signSlackRequest, type FakeSlack } from '../test/fakes/slack/index.ts';
import { inboundParseForm, type FakeSendGrid } from '../test/fakes/sendgrid/index.ts';
import { encodeForm, inboundSms, nextMessageSid, twilioSignature, type FakeTwilio } from '../test/fakes/twilio/index.ts';
import { gqlOk } from '../test/helpers/graphql.ts';

export type ProviderName = 'slack' | 'twilio' | 'sendgrid';

export interface BenchRequest {
  body: Buffer;
  headers: Record<string, string>;
  /** For the raw pg floor: the Message columns this request stores. */
  row: { channel: string; body: string; providerMessageId: string; senderId: string; bundleKey: string; threadKey: string; conversation: object; raw: object };
}

export interface Target {
  name: ProviderName;
  describe: string;
  customers: string[];
  /** Connects the provider through GraphQL; returns the integration id and webhook path. */
  connect(serverUrl: string, adminToken: string): Promise<{ integrationId: string; webhookPath: string }>;
  /** One signed delivery of a new message from this customer. */
  request(customer: string, n: number): BenchRequest;
}

export interface Fakes {
  slack: FakeSlack;
  twilio: FakeTwilio;
  sendgrid: FakeSendGrid;
}

const TEXT = 'the invoice page of our account shows an error since this morning, can you check?';

export function slackTarget(fakes: Fakes, customerCount: number): Target {
  const team = 'T0BENCH001';
  const botToken = 'xoxb-bench-bot-token';
  const signingSecret = randomBytes(16).toString('hex');
  const channel = 'C0BENCHSUP';
  fakes.slack.addWorkspace({ teamId: team, teamName: 'Bench Customers', botToken, botUserId: 'U0BENCHBOT', botId: 'B0BENCHBOT' });
  fakes.slack.addChannel(team, { id: channel, name: 'support', isMember: true });
  const customers = Array.from({ length: customerCount }, (_, i) => `U0BC${String(i).padStart(6, '0')}`);
  customers.forEach((id, i) => fakes.slack.addUser(team, { id, name: `customer${i}`, realName: `Customer ${i}`, email: `customer${i}@bench.example` }));
  return {
    name: 'slack',
    describe: 'signed Slack message events (Events API JSON)',
    customers,
    async connect(url, token) {
      const { connectSlack } = await gqlOk<{ connectSlack: { id: string } }>(url, 'mutation($input: ConnectSlackInput!) { connectSlack(input: $input) { id } }', { input: { botToken, signingSecret } }, token);
      await gqlOk(url, 'mutation($id: ID!, $c: [ID!]!) { setMonitoredChannels(integrationId: $id, channelIds: $c) { id } }', { id: connectSlack.id, c: [channel] }, token);
      return { integrationId: connectSlack.id, webhookPath: `/webhooks/slack/${connectSlack.id}` };
    },
    request(user, n) {
      const event = messageEvent({ channel, user, channelType: 'channel', text: `Bench message ${n}: ${TEXT}` });
      const envelope = eventCallback({ teamId: team, event, eventId: `EvB${n.toString(36).toUpperCase().padStart(9, '0')}` });
      const body = JSON.stringify(envelope);
      const thread = `${channel}:${String(event.ts)}`;
      return {
        body: Buffer.from(body),
        headers: signSlackRequest(signingSecret, body),
        row: {
          channel: 'SLACK', body: String(event.text), providerMessageId: thread, senderId: user, bundleKey: `${channel}:top`, threadKey: thread,
          conversation: { slackChannelId: channel, slackChannelName: 'support', slackThreadTs: event.ts, replyThreadKey: thread, sender: { id: user, slackUserId: user } },
          raw: envelope,
        },
      };
    },
  };
}

export function twilioTarget(fakes: Fakes, customerCount: number, publicUrl: string): Target {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const ours = '+15550001111';
  fakes.twilio.addAccount({ sid: accountSid, authToken, friendlyName: 'Bench Line', numbers: [ours] });
  const customers = Array.from({ length: customerCount }, (_, i) => `+1415555${String(i).padStart(4, '0')}`);
  let url = '';
  return {
    name: 'twilio',
    describe: 'signed Twilio SMS webhooks (form posts)',
    customers,
    async connect(serverUrl, token) {
      const { connectTwilio } = await gqlOk<{ connectTwilio: { id: string; webhookUrl: string } }>(serverUrl, 'mutation($input: ConnectTwilioInput!) { connectTwilio(input: $input) { id webhookUrl } }', { input: { accountSid, authToken, smsNumber: ours } }, token);
      url = connectTwilio.webhookUrl;
      return { integrationId: connectTwilio.id, webhookPath: url.slice(publicUrl.length) };
    },
    request(from, n) {
      const params = inboundSms({ accountSid, from, to: ours, body: `Bench message ${n}: ${TEXT}`, messageSid: nextMessageSid() });
      const thread = `sms:${ours}:${from}`;
      return {
        body: Buffer.from(encodeForm(params)),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(authToken, url, params) },
        row: { channel: 'SMS', body: params.Body!, providerMessageId: params.MessageSid!, senderId: from, bundleKey: `sms:${ours}`, threadKey: thread, conversation: { address: from, ourAddress: ours, replyThreadKey: thread, sender: { id: from, phone: from } }, raw: params },
      };
    },
  };
}

/** An email of about `kb` KB as Inbound Parse posts it: a long text part and its HTML twin. */
export function sendgridTarget(fakes: Fakes, customerCount: number, publicUrl: string, kb: number): Target {
  const apiKey = `SG.bench.${randomBytes(16).toString('hex')}`;
  fakes.sendgrid.addKey({ key: apiKey, scopes: ['mail.send'] });
  const customers = Array.from({ length: customerCount }, (_, i) => `customer${i}@bench.example`);
  const paragraph = `Hello team, ${TEXT} We tried again after clearing the cache and the same thing happens on every browser we have. `;
  const text = paragraph.repeat(Math.max(1, Math.round((kb * 1024 * 0.35) / paragraph.length)));
  const html = `<html><body>${`<p style="font-family: Arial, sans-serif; font-size: 14px; color: #222222">${paragraph}</p>`.repeat(Math.max(1, Math.round((kb * 1024 * 0.65) / (paragraph.length + 80))))}</body></html>`;
  let path = '';
  return {
    name: 'sendgrid',
    describe: `Inbound Parse emails of ${kb} KB (multipart/form-data)`,
    customers,
    async connect(serverUrl, token) {
      const { connectSendGrid } = await gqlOk<{ connectSendGrid: { id: string; webhookUrl: string } }>(
        serverUrl, 'mutation($input: ConnectSendGridInput!) { connectSendGrid(input: $input) { id webhookUrl } }',
        { input: { apiKey, fromEmail: 'support@bench.example', inboundDomain: 'reply.bench.example' } }, token,
      );
      path = connectSendGrid.webhookUrl.slice(publicUrl.length);
      return { integrationId: connectSendGrid.id, webhookPath: path };
    },
    request(from, n) {
      const messageId = `<bench.${n}.${randomBytes(6).toString('hex')}@mail.bench.example>`;
      const form = inboundParseForm({ from: `Customer <${from}>`, to: 'support@bench.example', subject: `Bench ${n}: invoice page error`, text, html, headers: { 'Message-ID': messageId } });
      const thread = `email:${messageId}`;
      return {
        body: form.body,
        headers: { 'content-type': form.contentType },
        row: {
          channel: 'EMAIL', body: text, providerMessageId: messageId, senderId: from, bundleKey: thread, threadKey: thread,
          conversation: { address: from, ourAddress: 'support@bench.example', subject: `Bench ${n}: invoice page error`, emailReferences: [messageId], replyThreadKey: thread, sender: { id: from, email: from } },
          raw: { headers: '', text, html },
        },
      };
    },
  };
}
