// A Parley instance wired to the fake SendGrid, with one connected sender
// (support@acme.test, Inbound Parse on reply.acme.test) and a teammate who is
// a Parley member.
import { createTestDatabase } from './db.ts';
import { generateWebhookKeys, inboundParseForm, postInboundParse, startFakeSendGrid, type FakeSendGrid, type InboundEmail, type WebhookKeys } from '../fakes/sendgrid/index.ts';
import { startTestApp, type TestApp } from './app.ts';
import { signUp, type SignedUp } from './fixtures.ts';
import { gqlOk } from './graphql.ts';

export const API_KEY = 'SG.parley-test.0123456789abcdefghijklmnopqrstuvwxyz';
export const FROM_EMAIL = 'support@acme.test';
export const INBOUND_DOMAIN = 'reply.acme.test';
export const CUSTOMER_EMAIL = 'eve@example.com';
export const TEAMMATE_EMAIL = 'tina@acme.test';

export interface SendGridEnv {
  sendgrid: FakeSendGrid;
  t: TestApp;
  admin: SignedUp;
  integrationId: string;
  /** The Inbound Parse URL (carries the secret). */
  webhookUrl: string;
  /** The Event Webhook URL. */
  eventsUrl: string;
  /** Present when the env was started with signed: true. */
  keys: WebhookKeys | null;
  /** Posts an Inbound Parse email (from the customer to support@, unless given). */
  email(email: Partial<InboundEmail> & { subject?: string; text?: string }, opts?: Parameters<typeof postInboundParse>[2]): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

let counter = 0;

/** A fresh RFC 5322 Message-ID. */
export function messageId(): string {
  return `<test.${Date.now()}.${++counter}@mail.example.com>`;
}

export async function startSendGridEnv(opts: { env?: Record<string, string>; databaseUrl?: string; signed?: boolean } = {}): Promise<SendGridEnv> {
  const sendgrid = await startFakeSendGrid();
  sendgrid.addKey({ key: API_KEY, scopes: ['mail.send', 'scopes.read'] });
  const t = await startTestApp({ databaseUrl: opts.databaseUrl ?? (await createTestDatabase()), env: { SENDGRID_API_URL: sendgrid.url, DEBOUNCE_SECONDS: '1', ...opts.env } });
  const admin = await signUp(t.url, 'Acme');
  await gqlOk(t.url, `mutation { addMember(name: "Tina", email: "${TEAMMATE_EMAIL}", password: "long enough password") { id } }`, {}, admin.token);
  const keys = opts.signed ? generateWebhookKeys() : null;
  const connected = await gqlOk<{ connectSendGrid: { id: string; webhookUrl: string; statusWebhookUrl: string } }>(
    t.url,
    'mutation($input: ConnectSendGridInput!) { connectSendGrid(input: $input) { id webhookUrl statusWebhookUrl } }',
    { input: { apiKey: API_KEY, fromEmail: FROM_EMAIL, fromName: 'Acme Support', inboundDomain: INBOUND_DOMAIN, ...(keys ? { webhookPublicKey: keys.publicKey } : {}) } },
    admin.token,
  );
  const { id: integrationId, webhookUrl, statusWebhookUrl } = connected.connectSendGrid;
  return {
    sendgrid,
    t,
    admin,
    integrationId,
    webhookUrl,
    eventsUrl: statusWebhookUrl,
    keys,
    email(email, o) {
      const form = inboundParseForm({
        from: `Eve Example <${CUSTOMER_EMAIL}>`,
        to: `Acme Support <${FROM_EMAIL}>`,
        subject: 'Invoice question',
        text: 'Hello',
        headers: { 'Message-ID': messageId() },
        ...email,
      } as InboundEmail);
      return postInboundParse(webhookUrl, form, { ...(keys ? { privateKey: keys.privateKey } : {}), ...o });
    },
    async stop() {
      await t.stop();
      await sendgrid.close();
    },
  };
}
