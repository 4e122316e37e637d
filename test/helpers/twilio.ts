// A Parley instance wired to the fake Twilio, with one connected account that
// has an SMS and a WhatsApp number, and a teammate whose phone is a member's.
import { expect } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { inboundSms, inboundWhatsApp, nextMessageSid, postTwilioWebhook, startFakeTwilio, type FakeTwilio, type PostTwilioWebhookOptions } from '../fakes/twilio/index.ts';
import { startTestApp, type TestApp } from './app.ts';
import { signUp, type SignedUp } from './fixtures.ts';
import { gqlOk } from './graphql.ts';
import { eventually } from './wait.ts';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = 'twilio-auth-token-0123456789abcd';
export const SMS_NUMBER = '+15550001111';
export const WHATSAPP_NUMBER = '+15550002222';
export const CUSTOMER_PHONE = '+14155550100';
export const TEAMMATE_PHONE = '+14155550199';

export interface TwilioEnv {
  twilio: FakeTwilio;
  t: TestApp;
  admin: SignedUp;
  integrationId: string;
  webhookUrl: string;
  /** Posts a signed SMS from `from` (default: the customer) to our SMS number. */
  sms(body: string, opts?: { from?: string; messageSid?: string; media?: { url: string; contentType: string }[] } & PostTwilioWebhookOptions): Promise<{ status: number; body: string; contentType: string | null; messageSid: string }>;
  /** Posts a signed WhatsApp message to our WhatsApp number. */
  whatsapp(body: string, opts?: { from?: string; profileName?: string; messageSid?: string; media?: { url: string; contentType: string }[] } & PostTwilioWebhookOptions): Promise<{ status: number; body: string; contentType: string | null; messageSid: string }>;
  stop(): Promise<void>;
}

export async function startTwilioEnv(opts: { env?: Record<string, string>; databaseUrl?: string } = {}): Promise<TwilioEnv> {
  const twilio = await startFakeTwilio();
  twilio.addAccount({ sid: ACCOUNT_SID, authToken: AUTH_TOKEN, friendlyName: 'Acme Support Line', numbers: [SMS_NUMBER, WHATSAPP_NUMBER] });
  const t = await startTestApp({ ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}), env: { TWILIO_API_URL: twilio.url, DEBOUNCE_SECONDS: '1', ...opts.env } });
  const admin = await signUp(t.url, 'Acme');
  await gqlOk(t.url, `mutation { addMember(name: "Tom", email: "tom@acme.test", password: "long enough password", phone: "${TEAMMATE_PHONE}") { id } }`, {}, admin.token);
  const connected = await gqlOk<{ connectTwilio: { id: string; webhookUrl: string } }>(
    t.url,
    'mutation($input: ConnectTwilioInput!) { connectTwilio(input: $input) { id webhookUrl } }',
    { input: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, smsNumber: SMS_NUMBER, whatsappNumber: WHATSAPP_NUMBER } },
    admin.token,
  );
  const { id: integrationId, webhookUrl } = connected.connectTwilio;
  return {
    twilio,
    t,
    admin,
    integrationId,
    webhookUrl,
    async sms(body, o = {}) {
      const messageSid = o.messageSid ?? nextMessageSid(o.media?.length ? 'MM' : 'SM');
      const params = inboundSms({ accountSid: ACCOUNT_SID, from: o.from ?? CUSTOMER_PHONE, to: SMS_NUMBER, body, messageSid, ...(o.media ? { media: o.media } : {}) });
      return { ...(await postTwilioWebhook(webhookUrl, AUTH_TOKEN, params, o)), messageSid };
    },
    async whatsapp(body, o = {}) {
      const messageSid = o.messageSid ?? nextMessageSid(o.media?.length ? 'MM' : 'SM');
      const params = inboundWhatsApp({
        accountSid: ACCOUNT_SID, from: o.from ?? CUSTOMER_PHONE, to: WHATSAPP_NUMBER, body, messageSid,
        ...(o.profileName ? { profileName: o.profileName } : {}), ...(o.media ? { media: o.media } : {}),
      });
      return { ...(await postTwilioWebhook(webhookUrl, AUTH_TOKEN, params, o)), messageSid };
    },
    async stop() {
      await t.stop();
      await twilio.close();
    },
  };
}

/** The task a stored inbound message (by provider id) ended up in, once it has one. */
export function taskOfProviderMessage(prisma: PrismaClient, integrationId: string, providerMessageId: string, timeoutMs = 20_000): Promise<string> {
  return eventually(async () => {
    const m = await prisma.message.findFirst({ where: { integrationId, providerMessageId } });
    expect(m?.taskId).toBeTruthy();
    return m!.taskId!;
  }, { timeoutMs });
}
