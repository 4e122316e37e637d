// Browser-test helpers for the inbox: a page signed in with a session token,
// and a few realistic tasks on other channels (written the way the pipeline
// writes them) so screens are seen with real variety.
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import type { PrismaClient } from '../../server/src/db.ts';
import type { TestBrowser } from './browser.ts';

/** The localStorage key web/src/composables/useSession.ts keeps the token under. */
export const SESSION_KEY = 'parley.session';

export interface InboxPage {
  page: Page;
  /** Uncaught errors and console errors the page reported. */
  errors: string[];
}

export interface PageOptions {
  width?: number;
  height?: number;
  colorScheme?: 'light' | 'dark';
  /** Runs before the first navigation, e.g. to route the WebSocket. */
  prepare?: (context: BrowserContext) => Promise<void>;
}

/** A new browser context signed in with `token`, on the inbox, with the live connection up. */
export async function signedInPage(browser: TestBrowser, url: string, token: string, opts: PageOptions = {}): Promise<InboxPage> {
  const context = opts.colorScheme
    ? await browser.browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 }, colorScheme: opts.colorScheme })
    : await browser.context(opts);
  await opts.prepare?.(context);
  await context.addInitScript(([key, value]) => {
    if (!localStorage.getItem(key)) localStorage.setItem(key, value);
  }, [SESSION_KEY, token] as const);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
  await page.locator('.live[data-status="live"]').waitFor({ timeout: 15_000 });
  return { page, errors };
}

/** A small picture of a billing page, as an image attachment that loads without a network. */
const SCREENSHOT_SVG = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="220" viewBox="0 0 320 220">' +
    '<rect width="320" height="220" fill="#f4f6f8"/><rect x="16" y="16" width="288" height="28" rx="4" fill="#2f5d50"/>' +
    '<rect x="16" y="60" width="180" height="12" rx="3" fill="#c9d1d9"/><rect x="16" y="84" width="240" height="12" rx="3" fill="#c9d1d9"/>' +
    '<rect x="16" y="120" width="288" height="72" rx="6" fill="#ffffff" stroke="#d0d7de"/>' +
    '<text x="32" y="152" font-family="sans-serif" font-size="16" fill="#1f2523">Seats: 12</text>' +
    '<text x="32" y="176" font-family="sans-serif" font-size="12" fill="#a3271f">Expected: 9</text></svg>',
).toString('base64')}`;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

interface SeedMessage {
  body: string;
  direction?: 'INBOUND' | 'OUTBOUND';
  status?: 'RECEIVED' | 'QUEUED' | 'SENT' | 'DELIVERED' | 'READ' | 'FAILED';
  authorId?: string;
  at: Date;
  attachments?: { name: string; contentType: string; size: number; url?: string; omitted?: string }[];
}

interface SeedTask {
  channel: 'EMAIL' | 'SMS' | 'WHATSAPP';
  contact: { name?: string; email?: string; phone?: string };
  title: string;
  subject?: string;
  type?: 'BILLING' | 'BUG' | 'FEATURE_REQUEST' | 'OTHER' | 'SALES' | 'SPAM' | 'SUPPORT';
  priority?: 'URGENT' | 'HIGH' | 'NORMAL' | 'LOW';
  status?: 'OPEN' | 'DONE';
  assigneeId?: string | null;
  suggestedAssigneeId?: string;
  triageReason?: string;
  messages: SeedMessage[];
}

/**
 * Email, SMS and WhatsApp tasks from a few hours ago, with triage, an
 * assignee, a suggestion and an attachment. Returns the task ids by title.
 */
export async function seedInbox(prisma: PrismaClient, workspaceId: string, people: { adminId: string; teammateId: string }): Promise<Record<string, string>> {
  const email = await prisma.integration.create({
    data: { workspaceId, provider: 'SENDGRID', displayName: 'Acme Support <support@acme.test>', config: { fromEmail: 'support@acme.test', inboundDomain: 'reply.acme.test' } },
  });
  const twilio = await prisma.integration.create({
    data: { workspaceId, provider: 'TWILIO', displayName: 'Acme Twilio', config: { accountSid: 'AC0000000000000000000000000000seed', smsNumber: '+15550001111', whatsappNumber: '+15550002222' } },
  });

  const tasks: SeedTask[] = [
    {
      channel: 'EMAIL',
      contact: { name: 'Eve Example', email: 'eve@example.com' },
      title: 'Invoice question',
      subject: 'Invoice question',
      type: 'BILLING',
      priority: 'HIGH',
      assigneeId: people.teammateId,
      messages: [
        {
          body: 'Hi! Invoice #1042 charges us for 12 seats, but we only have 9 people on the plan. Could you check and send a corrected invoice?',
          at: hoursAgo(5),
          attachments: [
            { name: 'billing-page.png', contentType: 'image/svg+xml', size: 1_024, url: SCREENSHOT_SVG },
            { name: 'invoice-1042.pdf', contentType: 'application/pdf', size: 48_213, url: 'https://files.example.com/invoice-1042.pdf' },
            { name: 'screen-recording.mov', contentType: 'video/quicktime', size: 48_000_000, omitted: 'over the 10 MB limit' },
          ],
        },
      ],
    },
    {
      channel: 'SMS',
      contact: { name: 'Sam Texter', phone: '+14155550100' },
      title: 'Can I move my appointment to Friday?',
      type: 'SUPPORT',
      priority: 'URGENT',
      assigneeId: null,
      messages: [{ body: 'Can I move my appointment to Friday? Something came up tomorrow.', at: hoursAgo(2.5) }],
    },
    {
      channel: 'WHATSAPP',
      contact: { name: 'Lucía Gómez', phone: '+34612345678' },
      title: '¿Tienen envío a Canarias?',
      type: 'SALES',
      priority: 'NORMAL',
      suggestedAssigneeId: people.adminId,
      triageReason: 'Handles Spanish-speaking sales leads.',
      messages: [{ body: '¿Tienen envío a Canarias? Quiero pedir 3 unidades.', at: hoursAgo(1.2) }],
    },
    {
      channel: 'EMAIL',
      contact: { name: 'Dan Done', email: 'dan@example.com' },
      title: 'Password reset link expired',
      subject: 'Password reset link expired',
      type: 'SUPPORT',
      priority: 'LOW',
      status: 'DONE',
      assigneeId: people.adminId,
      messages: [
        { body: 'The password reset link says it expired.', at: hoursAgo(30) },
        { body: 'Sorry about that: here is a fresh one, valid for 24 hours.', direction: 'OUTBOUND', status: 'DELIVERED', authorId: people.adminId, at: hoursAgo(29) },
      ],
    },
  ];

  const ids: Record<string, string> = {};
  for (const spec of tasks) {
    const integration = spec.channel === 'EMAIL' ? email : twilio;
    const contact = await prisma.contact.create({ data: { workspaceId, name: spec.contact.name ?? null, email: spec.contact.email ?? null, phone: spec.contact.phone ?? null } });
    const conversationKey = `${integration.id}:${contact.id}:${randomBytes(4).toString('hex')}`;
    const first = spec.messages[0]!.at;
    const last = spec.messages.at(-1)!.at;
    const task = await prisma.task.create({
      data: {
        workspaceId,
        integrationId: integration.id,
        contactId: contact.id,
        channel: spec.channel,
        title: spec.title,
        status: spec.status ?? 'OPEN',
        conversationKey,
        address: spec.channel === 'EMAIL' ? (spec.contact.email ?? null) : (spec.contact.phone ?? null),
        ourAddress: spec.channel === 'SMS' ? '+15550001111' : spec.channel === 'WHATSAPP' ? '+15550002222' : 'support@acme.test',
        subject: spec.subject ?? null,
        type: spec.type ?? null,
        priority: spec.priority ?? null,
        assigneeId: spec.assigneeId ?? null,
        suggestedAssigneeId: spec.suggestedAssigneeId ?? null,
        triageReason: spec.triageReason ?? null,
        triagedAt: spec.type ? first : null,
        createdAt: first,
        lastMessageAt: last,
      },
    });
    for (const [i, m] of spec.messages.entries()) {
      await prisma.message.create({
        data: {
          workspaceId,
          integrationId: integration.id,
          contactId: contact.id,
          taskId: task.id,
          direction: m.direction ?? 'INBOUND',
          status: m.status ?? 'RECEIVED',
          channel: spec.channel,
          body: m.body,
          providerMessageId: `seed-${task.id}-${i}`,
          conversationKey,
          authorId: m.authorId ?? null,
          attachments: m.attachments ?? [],
          createdAt: m.at,
        },
      });
    }
    ids[spec.title] = task.id;
  }
  return ids;
}
