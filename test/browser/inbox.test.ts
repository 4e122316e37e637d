// The inbox in a real Chromium against a real server and the fake Slack:
// a signed Slack webhook becomes a task that appears live, a reply goes out
// queued then sent, a failed delivery shows its reason and can be retried,
// the keyboard works, another workspace never sees the task, and a phone-sized
// screen can do all of it. Screenshots land in test/artifacts/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import type { PrismaClient } from '../../server/src/db.ts';
import { nextTs } from '../fakes/slack/index.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { seedInbox, signedInPage, type PageOptions } from '../helpers/browser-inbox.ts';
import { addMember, prismaFor, seedConversation, signUp } from '../helpers/fixtures.ts';
import { DM, startSlackEnv, taskIdOf, type SlackEnv } from '../helpers/slack.ts';

let env: SlackEnv;
let prisma: PrismaClient;
let browser: TestBrowser;
let seeded: Record<string, string>;
const pageErrors: string[] = [];

const LIVE = { timeout: 25_000, interval: 200 };

beforeAll(async () => {
  env = await startSlackEnv({ env: { DELIVERY_BACKOFF_SECONDS: '1' } });
  prisma = prismaFor(env.t.databaseUrl);
  const tess = await prisma.member.findFirstOrThrow({ where: { workspaceId: env.admin.workspaceId, email: 'tess@acme.test' } });
  seeded = await seedInbox(prisma, env.admin.workspaceId, { adminId: env.admin.memberId, teammateId: tess.id });
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await prisma?.$disconnect();
  await env?.stop();
  expect(pageErrors).toEqual([]);
});

async function openInbox(opts: PageOptions = {}, token = env.admin.token): Promise<Page> {
  const { page, errors } = await signedInPage(browser, env.t.url, token, opts);
  page.on('close', () => pageErrors.push(...errors));
  return page;
}

/** A customer message to #support (or a DM) as a signed Slack webhook. */
async function customerWrites(text: string, where: { channel?: string; channelType?: 'channel' | 'im' } = {}): Promise<Record<string, unknown>> {
  const event = env.message({ text, ts: nextTs(), ...(where.channel ? { channel: where.channel } : {}), ...(where.channelType ? { channelType: where.channelType } : {}) });
  const res = await env.post(event);
  expect(res.status).toBe(200);
  return event;
}

const row = (page: Page, title: string) => page.locator('.task-row', { hasText: title });
const message = (page: Page, text: string) => page.locator('.message', { hasText: text });
/** The compose sheet's line saying where the reply goes. */
const where = (page: Page) => page.locator('.compose-where').textContent();
const statusOf = (page: Page, text: string) => message(page, text).getAttribute('data-status');

describe('the inbox', () => {
  it('shows a Slack message live, opens it, and sends a reply that goes queued, then sent', async () => {
    const page = await openInbox();
    // Seeded tasks are listed newest first, the done one left out of Open.
    await expect.poll(() => page.locator('.task-row').count()).toBe(3);
    expect(await page.locator('.task-row-title').allTextContents()).toEqual(['¿Tienen envío a Canarias?', 'Can I move my appointment to Friday?', 'Invoice question']);

    const text = 'Hi, the export to CSV button does nothing since this morning';
    await customerWrites(text);
    // No reload: the task arrives through taskCreated after the quiet period, at the top, marked new.
    await expect.poll(() => row(page, text).count(), LIVE).toBe(1);
    expect(await page.locator('.task-row-title').first().textContent()).toBe(text);
    expect(await row(page, text).getAttribute('class')).toContain('fresh');
    await expect.poll(() => page.locator('.nav-count').textContent()).toMatch(/1/);
    await page.waitForTimeout(1700); // let the arrival animation settle for the screenshot
    await screenshot(page, 'inbox');

    await row(page, text).getByRole('link').click();
    await page.waitForURL(/\/tasks\//);
    await expect.poll(() => message(page, text).count()).toBe(1);
    expect(await message(page, text).textContent()).toContain('Cora Customer');
    // Opening it clears the "new" cue.
    expect(await row(page, text).getAttribute('class')).not.toContain('fresh');
    await expect.poll(() => where(page)).toBe('Slack · #support · in thread');
    const contact = page.getByRole('complementary', { name: 'Contact' });
    expect(await contact.textContent()).toContain('cora@example.com');
    expect(await contact.textContent()).toContain('U0CUSTOMER');

    // Slack answers the first try with a rate limit, so the queued state lasts long enough to see.
    env.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const reply = 'Thanks Cora, we are on it and will update you within the hour.';
    const box = page.getByLabel(/Reply.*Slack · #support · in thread/);
    await box.fill(reply);
    await screenshot(page, 'compose');
    await box.press('Control+Enter');
    await expect.poll(() => statusOf(page, reply)).toBe('QUEUED');
    expect(await message(page, reply).locator('.delivery').textContent()).toContain('Queued');
    expect(await box.inputValue()).toBe('');
    await expect.poll(() => statusOf(page, reply), LIVE).toBe('SENT');
    expect(await message(page, reply).locator('.delivery').textContent()).toContain('Sent');
    // It went to the customer's thread in #support.
    const posted = env.slack.posted.find((p) => p.text.includes('we are on it'));
    expect(posted?.channel).toBe('C0SUPPORT1');
    expect(posted?.thread_ts).toBeTruthy();
    await screenshot(page, 'task-view');
    await page.close();
  });

  it('shows why a reply failed, and Retry sends it', async () => {
    const page = await openInbox();
    const text = 'Where can I download my data?';
    await customerWrites(text);
    await expect.poll(() => row(page, text).count(), LIVE).toBe(1);
    await row(page, text).getByRole('link').click();
    await page.waitForURL(/\/tasks\//);

    env.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const reply = 'Settings → Export has it.';
    await page.getByLabel(/^Reply/).fill(reply);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => statusOf(page, reply), LIVE).toBe('FAILED');
    const failure = message(page, reply).getByRole('alert');
    expect(await failure.textContent()).toMatch(/Not delivered.*channel/i);
    await screenshot(page, 'failed-delivery');

    await message(page, reply).getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => statusOf(page, reply), LIVE).toBe('SENT');
    expect(await message(page, reply).getByRole('alert').count()).toBe(0);
    expect(env.slack.posted.some((p) => p.text.includes('Settings → Export'))).toBe(true);
    await page.close();
  });

  it('moves with j and k, opens with Enter, marks done with e', async () => {
    const page = await openInbox();
    await expect.poll(() => page.locator('.task-row').count()).toBeGreaterThanOrEqual(4);
    const titles = await page.locator('.task-row-title').allTextContents();

    await page.keyboard.press('j');
    expect(await page.locator('.task-row.cursor .task-row-title').textContent()).toBe(titles[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    expect(await page.locator('.task-row.cursor .task-row-title').textContent()).toBe(titles[1]);
    // The cursor row has focus, so its focus ring shows.
    expect(await page.evaluate(() => document.activeElement?.closest('.task-row')?.classList.contains('cursor'))).toBe(true);

    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tasks\//);
    await expect.poll(() => page.locator('.task-title').textContent()).toBe(titles[1]);

    // e marks the task under the cursor done: it leaves the Open list at once and the cursor moves on.
    await page.keyboard.press('e');
    await expect.poll(() => page.locator('.task-row-title').allTextContents()).not.toContain(titles[1]);
    await expect.poll(() => page.locator('.task-row.cursor .task-row-title').textContent()).toBe(titles[2]);
    await expect.poll(() => page.getByRole('button', { name: 'Reopen' }).count()).toBe(1);
    expect(await page.locator('.toast').textContent()).toContain('Marked done');
    const done = await prisma.task.findFirstOrThrow({ where: { workspaceId: env.admin.workspaceId, title: titles[1]! } });
    expect(done.status).toBe('DONE');

    // Shortcuts leave typing alone: j in the reply box is a letter.
    await page.getByLabel(/^Reply/).fill('');
    await page.getByLabel(/^Reply/).press('j');
    expect(await page.getByLabel(/^Reply/).inputValue()).toBe('j');

    // The Done filter lists it; Reopen brings it back.
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await expect.poll(() => page.locator('.task-row-title').allTextContents()).toEqual(['Password reset link expired']);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => page.locator('.task-row-title').allTextContents()).toContain(titles[1]);
    await page.close();
  });

  it('filters by channel and assignee, and assigns with the suggestion in one click', async () => {
    const page = await openInbox();
    await page.getByLabel('Channel').selectOption('SMS');
    await expect.poll(() => page.locator('.task-row-title').allTextContents()).toEqual(['Can I move my appointment to Friday?']);
    expect(new URL(page.url()).search).toBe('?channel=sms');
    await page.getByRole('button', { name: 'Clear' }).click();

    await page.getByLabel('Assignee', { exact: true }).selectOption('mine');
    await expect.poll(() => page.locator('.list-empty').count()).toBe(1);

    // Assigning the suggested assignee (the admin) puts the task in "Assigned to me" live.
    await page.goto(`${env.t.url}/tasks/${seeded['¿Tienen envío a Canarias?']}?assignee=mine`);
    await page.getByRole('button', { name: /Assign to Ada Admin/ }).click();
    await expect.poll(() => page.locator('.task-row-title').allTextContents()).toEqual(['¿Tienen envío a Canarias?']);
    expect(await page.getByText('Handles Spanish-speaking sales leads.').count()).toBe(0);
    const contactPanel = page.getByRole('complementary', { name: 'Contact' });
    expect(await contactPanel.textContent()).toContain('+34 612 345 678');
    expect(await where(page)).toBe('WhatsApp to +34 612 345 678 from +1 555 000 2222');

    await page.goto(`${env.t.url}/tasks/${seeded['Can I move my appointment to Friday?']}`);
    await expect.poll(() => where(page)).toBe('SMS to +1 415 555 0100 from +1 555 000 1111');
    await page.goto(`${env.t.url}/tasks/${seeded['Invoice question']}`);
    await expect.poll(() => where(page)).toBe('Email to eve@example.com · Re: Invoice question');
    expect(await page.getByRole('link', { name: /invoice-1042\.pdf/ }).count()).toBe(1);
    // Images show as thumbnails; a file whose content was not kept says why.
    await expect.poll(() => page.getByRole('img', { name: 'billing-page.png' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator('.attachment-missing').textContent()).toContain('not kept: over the 10 MB limit');
    await screenshot(page, 'task-email');
    await page.close();
  });

  it('never shows a task to another workspace', async () => {
    const other = await signUp(env.t.url, 'Other Co');
    const outsider = await openInbox({}, other.token);
    const insider = await openInbox();
    await expect.poll(() => outsider.locator('.list-empty').count()).toBe(1);

    const text = 'Private: our contract renewal terms';
    await customerWrites(text, { channel: DM, channelType: 'im' });
    await expect.poll(() => row(insider, text).count(), LIVE).toBe(1);
    // The outsider's inbox stayed empty the whole time, live feed included.
    expect(await outsider.locator('.task-row').count()).toBe(0);
    expect(await outsider.getByText(text).count()).toBe(0);

    // Even with the link, the task is not there for them.
    const taskId = await row(insider, text).getAttribute('data-task-id');
    await outsider.goto(`${env.t.url}/tasks/${taskId}`);
    await expect.poll(() => outsider.getByRole('heading', { name: 'Task not found' }).count()).toBe(1);
    expect(await outsider.getByText(text).count()).toBe(0);
    await insider.close();
    await outsider.close();
  });

  it('works on a 390 px wide phone: the list, then the task with its compose sheet', async () => {
    const page = await openInbox({ width: 390, height: 844 });
    await expect.poll(() => page.locator('.task-row').count()).toBeGreaterThanOrEqual(4);
    const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fitsWidth()).toBe(true);
    await screenshot(page, 'inbox-phone');

    await row(page, 'Invoice question').getByRole('link').click();
    await page.waitForURL(/\/tasks\//);
    // The list makes way for the task.
    await expect.poll(() => page.locator('.inbox-list').isVisible()).toBe(false);
    await expect.poll(() => page.locator('.compose-where').isVisible()).toBe(true);
    expect(await where(page)).toBe('Email to eve@example.com · Re: Invoice question');
    expect(await fitsWidth()).toBe(true);
    const reply = 'Corrected invoice attached.';
    await page.getByLabel(/^Reply/).fill(reply);
    expect(await page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Mark done' }).isVisible()).toBe(true);
    await screenshot(page, 'task-phone');

    await page.getByRole('link', { name: 'Inbox' }).first().click();
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => page.locator('.inbox-list').isVisible()).toBe(true);
    await page.close();
  });

  it('says it is reconnecting when the socket drops, and catches up on what it missed', async () => {
    let refuse = false;
    const sockets: WebSocketRoute[] = [];
    const page = await openInbox({
      prepare: (context) =>
        context.routeWebSocket(/\/graphql$/, (ws) => {
          // While "down", every reconnect attempt is dropped at once.
          if (refuse) return void ws.close({ code: 1012, reason: 'test outage' });
          ws.connectToServer();
          sockets.push(ws);
        }),
    });
    await expect.poll(() => page.locator('.task-row').count()).toBeGreaterThan(0);

    refuse = true;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1012, reason: 'test outage' });
    await expect.poll(() => page.locator('.connection-banner').textContent(), LIVE).toContain('Reconnecting');
    expect(await page.locator('.live').textContent()).toContain('Reconnecting');

    // A task created during the outage reaches no live feed…
    const text = 'Sent while you were offline';
    await taskIdOf(env, prisma, await customerWrites(text));
    await screenshot(page, 'reconnecting');
    expect(await row(page, text).count()).toBe(0);

    // …and is there once the socket is back, with no reload.
    refuse = false;
    await expect.poll(() => page.locator('.live').getAttribute('data-status'), { timeout: 40_000, interval: 250 }).toBe('live');
    await expect.poll(() => row(page, text).count(), LIVE).toBe(1);
    expect(await page.locator('.connection-banner').textContent()).toBe('');
    await page.close();
  }, 90_000);

  it('reads well in dark mode', async () => {
    const page = await openInbox({ colorScheme: 'dark' });
    await row(page, 'Invoice question').getByRole('link').click();
    await expect.poll(() => where(page)).toBe('Email to eve@example.com · Re: Invoice question');
    await screenshot(page, 'task-view-dark');
    await page.close();
  });

  it('pages through a long inbox as the list scrolls', async () => {
    const busy = await signUp(env.t.url, 'Busy Co');
    for (let i = 0; i < 35; i++) {
      await seedConversation(prisma, busy.workspaceId, { channel: i % 2 ? 'EMAIL' : 'SMS', contactName: `Customer ${i}`, createdAt: new Date(Date.now() - (i + 1) * 60_000) });
    }
    const page = await openInbox({}, busy.token);
    await expect.poll(() => page.locator('.task-row').count()).toBe(30);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(1);
    await page.locator('.list-more').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('.task-row').count()).toBe(35);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // Still newest first, across the page boundary.
    const contacts = await page.locator('.task-row-contact').allTextContents();
    expect(contacts).toEqual(Array.from({ length: 35 }, (_, i) => `Customer ${i}`));
    await page.close();
  });

  it('shows Settings to admins only, and keeps members out of it', async () => {
    const member = await addMember(env.t.url, env.admin.token, 'MEMBER');
    const page = await openInbox({}, member.token);
    await expect.poll(() => page.locator('.me-role').textContent()).toBe('Member');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Inbox', 'Contacts']);
    await page.goto(`${env.t.url}/settings/members`);
    await page.waitForURL((u) => u.pathname === '/');

    const admin = await openInbox();
    expect(await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count()).toBe(1);
    await admin.close();
    await page.close();
  });
});
