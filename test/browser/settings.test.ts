// The admin settings in a real Chromium against a real server and the fake
// providers: connect Slack (a wrong token first), copy its Request URL, choose
// the channels to watch, see Twilio's form blame a field, connect SendGrid,
// disconnect it, add and edit a member, create an API key (shown once) and
// revoke it; the same screens at 390 px; and a Slack token revoked later.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSendGrid, type FakeSendGrid } from '../fakes/sendgrid/index.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/index.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { signUp, type SignedUp } from '../helpers/fixtures.ts';
import { gql, gqlOk } from '../helpers/graphql.ts';
import { API_KEY, FROM_EMAIL, INBOUND_DOMAIN } from '../helpers/sendgrid.ts';
import { BOT_TOKEN, BOT_USER, RANDOM, SIGNING_SECRET, SUPPORT, TEAM } from '../helpers/slack.ts';

let slack: FakeSlack;
let sendgrid: FakeSendGrid;
let t: TestApp;
let admin: SignedUp;
let browser: TestBrowser;
/** Where the browser loads the web app from: the server itself, which serves web/dist. */
let webUrl: string;

beforeAll(async () => {
  slack = await startFakeSlack();
  slack.addWorkspace({ teamId: TEAM, teamName: 'Acme Customers', domain: 'acme-customers', botToken: BOT_TOKEN, botUserId: BOT_USER, botId: 'B0BOTID001' });
  slack.addChannel(TEAM, { id: SUPPORT, name: 'support', isMember: true });
  slack.addChannel(TEAM, { id: RANDOM, name: 'random', isMember: false });
  sendgrid = await startFakeSendGrid();
  sendgrid.addKey({ key: API_KEY, scopes: ['mail.send'] });
  t = await startTestApp({ env: { SLACK_API_URL: slack.apiUrl, SENDGRID_API_URL: sendgrid.url } });
  admin = await signUp(t.url, 'Acme');
  webUrl = t.url;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await slack?.close();
  await sendgrid?.close();
});

/** The text an input's aria-describedby points at: its error and help, as a screen reader hears them. */
function description(input: Locator): Promise<string> {
  return input.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/**
 * A screenshot of the whole settings page. The app shell scrolls its content area rather than the document,
 * so the viewport is grown to the tallest scroller's content for the shot, then restored.
 */
async function shoot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const needed = await page.evaluate(() => {
    let extra = 0;
    for (const el of document.querySelectorAll<HTMLElement>('*')) {
      const style = getComputedStyle(el);
      if (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight) extra = Math.max(extra, el.scrollHeight - el.clientHeight);
    }
    return document.documentElement.clientHeight + extra;
  });
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(needed)) });
  await screenshot(page, name);
  await page.setViewportSize(viewport);
}

async function signedInPage(opts: { width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.context(opts);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: webUrl });
  const page = await context.newPage();
  await page.goto(`${webUrl}/signin?next=${encodeURIComponent('/settings/integrations')}`);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/settings/integrations');
  await page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  return page;
}

describe('settings', () => {
  let page: Page;

  it('connects Slack: the server blames the bot token, then the workspace, Request URL and channel picker appear', async () => {
    page = await signedInPage();
    const card = page.getByRole('region', { name: 'Slack', exact: true });
    await expect.poll(() => card.getByText('Not connected').count()).toBe(1);

    await card.getByRole('button', { name: 'Connect Slack' }).click();
    const botToken = card.getByLabel('Bot User OAuth Token');
    const signingSecret = card.getByLabel('Signing Secret');
    expect(await botToken.getAttribute('type')).toBe('password');
    expect(await signingSecret.getAttribute('type')).toBe('password');
    expect(await description(botToken)).toMatch(/OAuth & Permissions/);

    await botToken.fill('xoxb-not-a-real-token');
    await signingSecret.fill(SIGNING_SECRET);
    await card.getByRole('button', { name: 'Connect Slack' }).click();
    await expect.poll(() => botToken.getAttribute('aria-invalid')).toBe('true');
    expect(await description(botToken)).toMatch(/Slack rejected the bot token/);
    // Focus moves to the field the server blamed.
    expect(await botToken.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await signingSecret.getAttribute('aria-invalid')).toBeNull();
    await shoot(page, 'settings-slack-connect-error');

    await botToken.fill(BOT_TOKEN);
    await card.getByRole('button', { name: 'Connect Slack' }).click();
    await card.getByRole('heading', { name: 'Acme Customers' }).waitFor();
    // The credentials are gone from the page: the form closed, and nothing shows them.
    await expect.poll(() => card.getByLabel('Bot User OAuth Token').count()).toBe(0);
    expect(await page.content()).not.toContain(BOT_TOKEN);
    expect(await page.content()).not.toContain(SIGNING_SECRET);
    expect(await card.getByText('Connected', { exact: true }).count()).toBe(1);

    const requestUrl = card.getByRole('textbox', { name: 'Request URL', exact: true });
    const url = await requestUrl.inputValue();
    // Built from PUBLIC_URL (http://localhost:<port> by default).
    expect(url).toMatch(/^http:\/\/localhost:\d+\/webhooks\/slack\/\S+$/);
    await card.getByRole('button', { name: 'Copy Request URL' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await card.getByText('Copied', { exact: true }).waitFor();

    // #support: the bot is in it; #random: it is not, so it cannot be chosen.
    const support = card.getByRole('checkbox', { name: 'support' });
    const random = card.getByRole('checkbox', { name: 'random' });
    await support.waitFor();
    expect(await support.isEnabled()).toBe(true);
    expect(await random.isDisabled()).toBe(true);
    expect(await description(random)).toMatch(/invite the bot first/i);
    const save = card.getByRole('button', { name: 'Save channels' });
    expect(await save.isDisabled()).toBe(true);
    await support.check();
    await save.click();
    await card.getByText('Channels saved.').waitFor();
    const channels = await gqlOk<{ slackChannels: { id: string; monitored: boolean }[] }>(
      t.url,
      'query($id: ID!) { slackChannels(integrationId: $id) { id monitored } }',
      { id: await integrationId('SLACK') },
      admin.token,
    );
    expect(channels.slackChannels).toEqual(expect.arrayContaining([{ id: SUPPORT, monitored: true }, { id: RANDOM, monitored: false }]));
    // After a reload the choice is still there, from the server.
    await page.reload();
    await expect.poll(() => page.getByRole('region', { name: 'Slack', exact: true }).getByRole('checkbox', { name: 'support' }).isChecked()).toBe(true);
  });

  it("shows Twilio's own field names, blames the Account SID, and gives focus back on cancel", async () => {
    const card = page.getByRole('region', { name: 'Twilio', exact: true });
    await card.getByRole('button', { name: 'Connect Twilio' }).click();
    // Focus goes to the form's heading, so a screen reader hears where it is.
    expect(await card.getByRole('heading', { name: 'Connect a Twilio account' }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await card.getByLabel('Auth Token').getAttribute('type')).toBe('password');
    expect(await description(card.getByLabel('Account SID'))).toMatch(/Account Info/);
    await card.getByLabel('Account SID').fill('AC123');
    await card.getByLabel('Auth Token').fill('not-checked-yet');
    await card.getByLabel('SMS number').fill('+14155550100');
    await card.getByRole('button', { name: 'Connect Twilio' }).click();
    const sid = card.getByLabel('Account SID');
    await expect.poll(() => sid.getAttribute('aria-invalid')).toBe('true');
    expect(await description(sid)).toMatch(/AC followed by 32 hex characters/);
    await shoot(page, 'settings-twilio-connect-error');

    await card.getByRole('button', { name: 'Cancel' }).click();
    const opener = card.getByRole('button', { name: 'Connect Twilio' });
    await expect.poll(() => opener.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await card.getByLabel('Auth Token').count()).toBe(0);
  });

  it('connects SendGrid: the sender, the Inbound Parse URL and the Event Webhook URL appear', async () => {
    const card = page.getByRole('region', { name: 'SendGrid', exact: true });
    await card.getByRole('button', { name: 'Connect SendGrid' }).click();
    expect(await card.getByLabel('API Key').getAttribute('type')).toBe('password');
    await card.getByLabel('API Key').fill(API_KEY);
    await card.getByLabel('From Email Address').fill(FROM_EMAIL);
    await card.getByLabel('From Name').fill('Acme Support');
    await card.getByLabel('Receiving Domain').fill(INBOUND_DOMAIN);
    await card.getByRole('button', { name: 'Connect SendGrid' }).click();
    await card.getByRole('heading', { name: `Acme Support <${FROM_EMAIL}>` }).waitFor();
    expect(await page.content()).not.toContain(API_KEY);
    expect(await card.getByRole('textbox', { name: 'Inbound Parse URL', exact: true }).inputValue()).toMatch(/^http:\/\/localhost:\d+\/webhooks\/sendgrid\/\S+$/);
    expect(await card.getByRole('textbox', { name: 'Event Webhook URL', exact: true }).inputValue()).toMatch(/^http:\/\/localhost:\d+\/webhooks\/sendgrid\/\S+$/);
    expect(await card.getByText(INBOUND_DOMAIN, { exact: true }).count()).toBe(1);

    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, 'settings-integrations');
  });

  it('disconnects after a confirmation that can be cancelled', async () => {
    const card = page.getByRole('region', { name: 'SendGrid', exact: true });
    await card.getByRole('button', { name: /^Disconnect/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toMatch(/Disconnect Acme Support/);
    // Cancel has the focus: Enter right away does no harm.
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await card.getByRole('heading', { name: `Acme Support <${FROM_EMAIL}>` }).count()).toBe(1);

    await card.getByRole('button', { name: /^Disconnect/ }).click();
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => card.getByText('Not connected').count()).toBe(1);
    const { integrations } = await gqlOk<{ integrations: { provider: string; status: string }[] }>(t.url, '{ integrations { provider status } }', {}, admin.token);
    expect(integrations.find((i) => i.provider === 'SENDGRID')?.status).toBe('DISCONNECTED');
  });

  it('adds a member with a Slack user id and phone, shows a conflict on its field, and edits them', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await page.getByRole('row', { name: /Ada Admin/ }).waitFor();

    await page.getByRole('button', { name: 'Add member' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add a member' });
    await dialog.getByLabel('Name').fill('Tess Teammate');
    await dialog.getByLabel('Email').fill('tess@acme.test');
    await dialog.getByLabel('First password').fill('a long first password');
    await dialog.getByLabel('Slack user ID').fill('U0TEAMMATE');
    await dialog.getByLabel('Phone').fill('+14155550123');
    await dialog.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const row = page.getByRole('row', { name: /Tess Teammate/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('U0TEAMMATE');
    expect(await row.textContent()).toContain('+14155550123');

    // Another member with the same Slack id: the server's conflict lands on that field.
    await page.getByRole('button', { name: 'Add member' }).click();
    dialog = page.getByRole('dialog', { name: 'Add a member' });
    await dialog.getByLabel('Name').fill('Tom Twin');
    await dialog.getByLabel('Email').fill('tom@acme.test');
    await dialog.getByLabel('First password').fill('a long first password');
    await dialog.getByLabel('Slack user ID').fill('U0TEAMMATE');
    await dialog.getByRole('button', { name: 'Add member' }).click();
    const slackId = dialog.getByLabel('Slack user ID');
    await expect.poll(() => slackId.getAttribute('aria-invalid')).toBe('true');
    expect(await description(slackId)).toMatch(/already has this Slack user id/);
    await screenshot(page, 'settings-member-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await row.getByRole('button', { name: 'Edit Tess Teammate' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Tess Teammate' });
    expect(await dialog.getByLabel('Phone').inputValue()).toBe('+14155550123');
    await dialog.getByLabel('Phone').fill('+14155550124');
    await dialog.getByLabel('Role').selectOption('ADMIN');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => row.textContent()).toContain('+14155550124');
    expect(await row.textContent()).toContain('Admin');

    const { members } = await gqlOk<{ members: { email: string; role: string; phone: string | null; slackUserId: string | null }[] }>(
      t.url,
      '{ members { email role phone slackUserId } }',
      {},
      admin.token,
    );
    expect(members.find((m) => m.email === 'tess@acme.test')).toEqual({ email: 'tess@acme.test', role: 'ADMIN', phone: '+14155550124', slackUserId: 'U0TEAMMATE' });
    await shoot(page, 'settings-members');
  });

  it('creates an API key, shows it once with a copy button, and revokes it', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByText('No API keys yet').waitFor();

    await page.getByLabel('Key name').fill('Zapier');
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyField = page.getByRole('textbox', { name: 'API key Zapier', exact: true });
    await keyField.waitFor();
    const key = await keyField.inputValue();
    expect(key.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy API key Zapier' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    // The key works.
    expect((await gqlOk<{ me: { email: string } }>(t.url, '{ me { email } }', {}, key)).me.email).toBe(admin.email);
    await page.getByRole('listitem').filter({ hasText: 'Zapier' }).waitFor();
    await shoot(page, 'settings-api-keys');

    // Shown once: dismissed, it is nowhere on the page.
    await page.getByRole('button', { name: "I've copied it" }).click();
    expect(await page.content()).not.toContain(key);
    expect(await page.getByRole('listitem').filter({ hasText: 'Zapier' }).textContent()).toContain('Never used');

    await page.getByRole('button', { name: 'Revoke Zapier' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('No API keys yet').waitFor();
    const res = await gql(t.url, '{ me { email } }', {}, key);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('fits a 390 px wide screen', async () => {
    const phone = await signedInPage({ width: 390, height: 844 });
    const card = phone.getByRole('region', { name: 'Slack', exact: true });
    await card.getByRole('heading', { name: 'Acme Customers' }).waitFor();
    await card.getByRole('checkbox', { name: 'support' }).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(phone, 'settings-integrations-390');

    await phone.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Members' }).click();
    await phone.getByRole('row', { name: /Tess Teammate/ }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await shoot(phone, 'settings-members-390');
  });
});

describe('a broken integration', () => {
  it('shows its status and last error, and offers to update the credentials', async () => {
    slack.revokeToken(BOT_TOKEN, 'token_revoked');
    const page = await signedInPage();
    const card = page.getByRole('region', { name: 'Slack', exact: true });
    // Listing the channels finds the token revoked; the server marks the integration, and the page shows it.
    await card.getByText('Needs attention').waitFor();
    const note = card.getByRole('note', { name: 'Slack reported a problem' });
    expect(await note.textContent()).toMatch(/bot token was revoked/);
    // The channel picker says why it has no list, rather than claiming the bot sees no channels.
    await card.getByRole('button', { name: 'Try again' }).waitFor();
    expect(await card.getByText(/cannot see any channels/).count()).toBe(0);
    await shoot(page, 'settings-integrations-error');
    await note.getByRole('button', { name: 'Update credentials' }).click();
    await card.getByLabel('Bot User OAuth Token').waitFor();
    expect(await card.getByRole('heading', { name: 'Connect another Slack workspace' }).evaluate((el) => el === document.activeElement)).toBe(true);
  });
});

async function integrationId(provider: string): Promise<string> {
  const { integrations } = await gqlOk<{ integrations: { id: string; provider: string; status: string }[] }>(t.url, '{ integrations { id provider status } }', {}, admin.token);
  const found = integrations.find((i) => i.provider === provider && i.status !== 'DISCONNECTED');
  if (!found) throw new Error(`no ${provider} integration`);
  return found.id;
}
