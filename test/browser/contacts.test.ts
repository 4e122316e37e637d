// Contacts in a real Chromium against a real server: search and page through
// the list, open a contact with its tasks, merge two contacts as an admin (the
// tasks move, the identities combine, the other contact disappears), see a
// server error where it belongs, and a member who is not offered the merge.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { addMember, signUp, type SignedUp } from '../helpers/fixtures.ts';

type Channel = 'SLACK' | 'EMAIL' | 'SMS' | 'WHATSAPP';

let t: TestApp;
let browser: TestBrowser;
let prisma: PrismaClient;
let admin: SignedUp;
let page: Page;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Contacts and tasks written the way the inbound pipeline writes them. */
async function seedWorkspace(workspaceId: string) {
  const [sendgrid, slack, twilio] = await Promise.all([
    prisma.integration.create({ data: { workspaceId, provider: 'SENDGRID', displayName: 'support@acme.test' } }),
    prisma.integration.create({ data: { workspaceId, provider: 'SLACK', displayName: 'Acme Slack' } }),
    prisma.integration.create({ data: { workspaceId, provider: 'TWILIO', displayName: 'Acme Twilio' } }),
  ]);
  const integrationFor = (channel: Channel) => (channel === 'EMAIL' ? sendgrid : channel === 'SLACK' ? slack : twilio).id;
  const now = Date.now();
  let n = 0;

  const contact = (data: { name?: string; email?: string; phone?: string; slackUserId?: string }, ageMs: number) =>
    prisma.contact.create({ data: { workspaceId, ...data, createdAt: new Date(now - ageMs) } });

  async function task(contactRow: { id: string; email: string | null; phone: string | null }, channel: Channel, title: string, ageMs: number, status: 'OPEN' | 'DONE' = 'OPEN') {
    const i = ++n;
    const integrationId = integrationFor(channel);
    const conversationKey = `${integrationId}:${contactRow.id}:${i}`;
    const createdAt = new Date(now - ageMs);
    const row = await prisma.task.create({
      data: {
        workspaceId, integrationId, contactId: contactRow.id, channel, title, status, conversationKey, createdAt, lastMessageAt: createdAt,
        address: channel === 'EMAIL' ? contactRow.email : channel === 'SLACK' ? null : contactRow.phone,
        subject: channel === 'EMAIL' ? title : null,
      },
    });
    await prisma.message.create({
      data: {
        workspaceId, integrationId, contactId: contactRow.id, taskId: row.id, direction: 'INBOUND', status: 'RECEIVED', channel,
        body: title, providerMessageId: `pm-${i}`, conversationKey, createdAt,
      },
    });
    return row;
  }

  // Older customers, enough for a second page.
  const others = [
    'Olivia Chen', 'Noah Williams', 'Emma Johnson', 'Liam Brown', 'Ava Martinez', 'Lucas Garcia', 'Mia Davis', 'Ethan Wilson',
    'Sofia Anderson', 'Mason Thomas', 'Isabella Moore', 'Logan Taylor', 'Amelia Jackson', 'Elijah White', 'Harper Harris',
    'James Martin', 'Evelyn Thompson', 'Benjamin Lee', 'Abigail Clark', 'Henry Lewis', 'Ella Walker', 'Jack Hall', 'Aria Young',
    'Samuel King',
  ];
  for (const [i, name] of others.entries()) {
    const slug = name.toLowerCase().replace(' ', '.');
    await contact(
      { name, email: `${slug}@customer${i % 5}.test`, ...(i % 3 === 0 ? { phone: `+1212555${String(2000 + i)}` } : {}), ...(i % 4 === 1 ? { slackUserId: `U0CUST${String(i).padStart(4, '0')}` } : {}) },
      (10 + i) * DAY,
    );
  }

  const lena = await contact({ name: 'Lena Fischer', email: 'lena@fischer.test', slackUserId: 'U0LENA0001' }, 5 * DAY);
  await task(lena, 'SLACK', 'Export to CSV is missing columns', 5 * DAY, 'DONE');
  const marco = await contact({ name: 'Marco Rossi', phone: '+393471234567' }, 4 * DAY);
  await task(marco, 'WHATSAPP', 'Ordine non arrivato', 4 * DAY);
  const ops = await contact({ email: 'ops@globex.test' }, 3 * DAY);
  await task(ops, 'EMAIL', 'Invoice address change', 3 * DAY);
  const priya = await contact({ name: 'Priya Patel', email: 'priya@northwind.test', phone: '+447700900123' }, 2 * DAY);
  await task(priya, 'EMAIL', 'Question about annual billing', 2 * DAY);
  // One person, two contacts: texting from a number (no name), and on Slack and email.
  const texter = await contact({ phone: '+14155550131' }, DAY);
  const smsTask = await task(texter, 'SMS', 'Still waiting on my refund', 20 * 60_000);
  const sam = await contact({ name: 'Sam Source', email: 'sam@example.com', slackUserId: 'U0SAMSRC01' }, 2 * HOUR);
  const refund = await task(sam, 'EMAIL', 'Refund for order #1042', 2 * HOUR);
  const login = await task(sam, 'SLACK', 'Can’t sign in with SSO', 90 * 60_000, 'DONE');
  return { sam, texter, priya, lena, tasks: { refund, login, sms: smsTask } };
}

let seeded: Awaited<ReturnType<typeof seedWorkspace>>;

async function signIn(p: Page, who: { email: string; password: string }) {
  // A missing element fails with Playwright's own message, well before the test's time runs out.
  p.setDefaultTimeout(10_000);
  await p.goto(`${t.url}/signin`);
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL((url) => url.pathname === '/');
}

const resultRows = (p: Page) => p.locator('#contact-results ul > li');
const heading = (p: Page) => p.getByRole('heading', { level: 1 });

beforeAll(async () => {
  t = await startTestApp();
  prisma = t.app.services.prisma;
  browser = await launchBrowser();
  admin = await signUp(t.url, 'Acme Support');
  seeded = await seedWorkspace(admin.workspaceId);
  page = await (await browser.context()).newPage();
  await signIn(page, admin);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('contacts', () => {
  it('lists contacts newest first, pages with "load more", and searches by name, email or phone', async () => {
    await page.goto(`${t.url}/contacts`);
    await expect.poll(() => heading(page).textContent()).toBe('Contacts');
    await expect.poll(() => resultRows(page).count()).toBe(25);
    // Newest first; an unnamed contact shows its best identity, phones read as +1 415 555 0131.
    const names = await page.locator('#contact-results .row-link').allTextContents();
    expect(names.slice(0, 6)).toEqual(['Sam Source', '+1 415 555 0131', 'Priya Patel', 'ops@globex.test', 'Marco Rossi', 'Lena Fischer']);
    const priyaRow = resultRows(page).filter({ has: page.getByRole('link', { name: 'Priya Patel' }) });
    expect(await priyaRow.textContent()).toContain('+44 770 090 0123');
    expect(await priyaRow.textContent()).toContain('priya@northwind.test');
    expect(await resultRows(page).first().textContent()).toContain('U0SAMSRC01');
    await screenshot(page, 'contacts');

    await page.getByRole('button', { name: 'Load more contacts' }).click();
    await expect.poll(() => resultRows(page).count()).toBe(30);
    expect(await page.getByRole('button', { name: 'Load more contacts' }).count()).toBe(0);

    const search = page.getByLabel('Search contacts');
    await search.fill('sam');
    await expect.poll(() => page.locator('#contact-results .row-link').allTextContents()).toEqual(['Sam Source', 'Samuel King']);
    await search.fill('northwind');
    await expect.poll(() => page.locator('#contact-results .row-link').allTextContents()).toEqual(['Priya Patel']);
    // A phone number typed with spaces finds the stored E.164 number.
    await search.fill('415 555 0131');
    await expect.poll(() => page.locator('#contact-results .row-link').allTextContents()).toEqual(['+1 415 555 0131']);
    await search.fill('nobody-by-this-name');
    await expect.poll(() => page.getByText('No contacts match “nobody-by-this-name”').count()).toBeGreaterThan(0);
    // Escape clears the search.
    await search.press('Escape');
    await expect.poll(() => resultRows(page).count()).toBe(25);
  });

  it('works at phone width', async () => {
    const phone = await (await browser.context({ width: 390, height: 844 })).newPage();
    await signIn(phone, admin);
    await phone.goto(`${t.url}/contacts`);
    await expect.poll(() => resultRows(phone).count()).toBe(25);
    // Nothing wider than the screen.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'contacts-mobile');
    await phone.getByRole('link', { name: 'Sam Source' }).click();
    await expect.poll(() => heading(phone).textContent()).toBe('Sam Source');
    await expect.poll(() => phone.getByText('Refund for order #1042').count()).toBe(1);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'contact-mobile');

    // The merge review fits too; closing it changes nothing.
    await phone.getByRole('button', { name: 'Merge into another contact…' }).click();
    await phone.getByLabel('Find a contact').fill('0131');
    await phone.getByRole('button', { name: /\+1 415 555 0131/ }).click();
    await expect.poll(() => phone.getByRole('dialog').textContent()).toContain('2 tasks move');
    await screenshot(phone, 'contact-merge-mobile');
    await phone.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => phone.getByRole('dialog').count()).toBe(0);
    expect(await prisma.contact.count({ where: { id: seeded.sam.id } })).toBe(1);
  });

  it('opens a contact with its identities and tasks, each linking to the task', async () => {
    // By keyboard: search, Tab to the only match, Enter.
    await page.goto(`${t.url}/contacts`);
    await page.getByLabel('Search contacts').fill('sam source');
    await expect.poll(() => page.locator('#contact-results .row-link').allTextContents()).toEqual(['Sam Source']);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sam Source');
    await screenshot(page, 'contacts-keyboard');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/contacts/${seeded.sam.id}`);
    await expect.poll(() => heading(page).textContent()).toBe('Sam Source');
    const identities = page.getByRole('region', { name: 'Identities' });
    await expect.poll(() => identities.textContent()).toContain('sam@example.com');
    expect(await identities.textContent()).toContain('U0SAMSRC01');

    const tasks = page.getByRole('region', { name: 'Tasks' });
    await expect.poll(() => tasks.locator('li').count()).toBe(2);
    const rows = await tasks.locator('li').allTextContents();
    expect(rows[0]).toMatch(/Done.*Can’t sign in with SSO.*Slack.*Unassigned.*1h/);
    expect(rows[1]).toMatch(/Open.*Refund for order #1042.*Email.*2h/);
    expect(await tasks.getByRole('link', { name: 'Refund for order #1042' }).getAttribute('href')).toContain(seeded.tasks.refund.id);
    expect(await page.title()).toBe('Sam Source · Contacts · Parley');
    await screenshot(page, 'contact');
  });

  it('merges two contacts: the kept one gains identities and tasks, the other is gone', async () => {
    // On Sam's page (from the previous test).
    await page.getByRole('button', { name: 'Merge into another contact…' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('heading', { name: 'Merge Sam Source into…' }).count()).toBe(1);
    // The search field has focus; the keyboard picks the match.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('merge-search');
    // Every other contact is offered, Sam himself is not.
    await expect.poll(() => dialog.locator('.result').count()).toBe(7);
    expect(await dialog.getByRole('button', { name: /^Sam Source/ }).count()).toBe(0);
    await screenshot(page, 'contact-merge-pick');
    await page.keyboard.type('0131');
    await expect.poll(() => dialog.getByRole('button', { name: /\+1 415 555 0131/ }).count()).toBe(1);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    await expect.poll(() => dialog.getByRole('heading', { name: 'Review the merge' }).count()).toBe(1);
    await expect.poll(() => dialog.textContent()).toContain('2 tasks move');
    const text = await dialog.textContent();
    expect(text).toContain('+1 415 555 0131 gains the name Sam Source, the email sam@example.com and the Slack ID U0SAMSRC01.');
    expect(text).toContain('Sam Source is deleted.');
    await screenshot(page, 'contact-merge');

    await dialog.getByRole('button', { name: 'Merge contacts' }).click();
    await page.waitForURL((url) => url.pathname === `/contacts/${seeded.texter.id}`);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Merged' }).textContent()).toContain(
      'Merged Sam Source into +1 415 555 0131. 2 tasks moved here.',
    );
    // The kept contact took Sam's name and identities, and now has all three tasks.
    await expect.poll(() => heading(page).textContent()).toBe('Sam Source');
    expect(await page.getByRole('dialog').count()).toBe(0);
    const identities = await page.getByRole('region', { name: 'Identities' }).textContent();
    for (const value of ['+1 415 555 0131', 'sam@example.com', 'U0SAMSRC01']) expect(identities).toContain(value);
    const tasks = page.getByRole('region', { name: 'Tasks' });
    await expect.poll(() => tasks.locator('li').count()).toBe(3);
    for (const title of ['Still waiting on my refund', 'Can’t sign in with SSO', 'Refund for order #1042']) {
      expect(await tasks.getByText(title).count()).toBe(1);
    }
    await screenshot(page, 'contact-merged');

    expect(await prisma.contact.findUnique({ where: { id: seeded.sam.id } })).toBeNull();
    const moved = await prisma.task.findMany({ where: { id: { in: [seeded.tasks.refund.id, seeded.tasks.login.id] } } });
    expect(moved.map((m) => m.contactId)).toEqual([seeded.texter.id, seeded.texter.id]);

    // The list no longer has Sam's old contact: one "Sam Source", the kept one.
    await page.getByRole('link', { name: 'Contacts' }).first().click();
    await page.waitForURL((url) => url.pathname === '/contacts');
    const search = page.getByLabel('Search contacts');
    await search.fill('sam@example');
    await expect.poll(() => page.locator('#contact-results .row-link').allTextContents()).toEqual(['Sam Source']);
    expect(await page.locator('#contact-results .row-link').getAttribute('href')).toBe(`/contacts/${seeded.texter.id}`);
    await search.fill('');
    await expect.poll(() => resultRows(page).count()).toBe(25);
    expect(await page.locator(`#contact-results a[href="/contacts/${seeded.sam.id}"]`).count()).toBe(0);
  });

  it('shows the server\'s refusal in the dialog when the other contact is gone meanwhile', async () => {
    await page.goto(`${t.url}/contacts/${seeded.priya.id}`);
    await expect.poll(() => heading(page).textContent()).toBe('Priya Patel');
    await page.getByRole('button', { name: 'Merge into another contact…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Find a contact').fill('lena');
    await dialog.getByRole('button', { name: /Lena Fischer/ }).click();
    await expect.poll(() => dialog.textContent()).toContain('1 task moves from Priya Patel to Lena Fischer');
    // Swapping keeps Priya and deletes Lena instead.
    await dialog.getByRole('button', { name: 'Keep Priya Patel instead' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Lena Fischer is deleted.');
    expect(await dialog.textContent()).toContain('Priya Patel gains the Slack ID U0LENA0001.');
    expect(await dialog.textContent()).toContain('Not kept: the name Lena Fischer and the email lena@fischer.test');
    await expect.poll(() => dialog.textContent()).toContain('1 task moves from Lena Fischer to Priya Patel');

    await prisma.contact.delete({ where: { id: seeded.lena.id } });
    await dialog.getByRole('button', { name: 'Merge contacts' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/no longer exists/);
    // Nothing changed here, and Escape closes the dialog.
    expect(new URL(page.url()).pathname).toBe(`/contacts/${seeded.priya.id}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('can keep the contact being viewed instead, and stays on it', async () => {
    await page.goto(`${t.url}/contacts/${seeded.priya.id}`);
    await expect.poll(() => heading(page).textContent()).toBe('Priya Patel');
    await page.getByRole('button', { name: 'Merge into another contact…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Find a contact').fill('globex');
    await dialog.getByRole('button', { name: /ops@globex\.test/ }).click();
    await dialog.getByRole('button', { name: 'Keep Priya Patel instead' }).click();
    await expect.poll(() => dialog.textContent()).toContain('1 task moves from ops@globex.test to Priya Patel');
    expect(await dialog.textContent()).toContain('Not kept: the email ops@globex.test');
    await dialog.getByRole('button', { name: 'Merge contacts' }).click();

    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Merged' }).textContent()).toContain(
      'Merged ops@globex.test into Priya Patel. 1 task moved here.',
    );
    expect(new URL(page.url()).pathname).toBe(`/contacts/${seeded.priya.id}`);
    expect(await page.getByRole('dialog').count()).toBe(0);
    const tasks = page.getByRole('region', { name: 'Tasks' });
    await expect.poll(() => tasks.locator('li').count()).toBe(2);
    expect(await tasks.getByText('Invoice address change').count()).toBe(1);
    // Focus is back on the page's heading, for the keyboard and screen readers.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  });

  it('does not offer the merge to a member', async () => {
    const member = await addMember(t.url, admin.token, 'MEMBER');
    const memberPage = await (await browser.context()).newPage();
    await signIn(memberPage, member);
    await memberPage.goto(`${t.url}/contacts/${seeded.priya.id}`);
    await expect.poll(() => heading(memberPage).textContent()).toBe('Priya Patel');
    // Once the page knows who is looking, there is no merge action.
    await memberPage.locator('[data-viewer-role="MEMBER"]').waitFor();
    await expect.poll(() => memberPage.getByRole('region', { name: 'Tasks' }).locator('li').count()).toBe(2);
    expect(await memberPage.getByRole('button', { name: /Merge/ }).count()).toBe(0);
    // The admin sees it on the same page.
    await page.goto(`${t.url}/contacts/${seeded.priya.id}`);
    await expect.poll(() => heading(page).textContent()).toBe('Priya Patel');
    await expect.poll(() => page.getByRole('button', { name: 'Merge into another contact…' }).count()).toBe(1);
  });
});
