// The first-run path in a real Chromium against a real server: create the
// workspace, stay signed in across a reload, sign out, and see sign-in errors
// where they belong.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.ts';
import { uniqueEmail } from '../helpers/fixtures.ts';

let t: TestApp;
let browser: TestBrowser;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

it('signs up, keeps the session across a reload, signs out, and shows a wrong password inline', async () => {
  const page = await (await browser.context()).newPage();
  const email = uniqueEmail('first');
  await page.goto(t.url);
  // Signed out: the app sends people to sign in, which links to creating a workspace.
  await page.waitForURL(/\/signin$/);
  await page.getByRole('link', { name: /create/i }).click();
  await page.waitForURL(/\/signup$/);
  await page.getByLabel('Workspace name').fill('Acme Support');
  await page.getByLabel('Your name').fill('Ada Admin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect.poll(() => page.getByText('Acme Support').count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByText('Ada Admin').count()).toBeGreaterThan(0);
  await screenshot(page, 'signed-in');

  await page.reload();
  await expect.poll(() => page.getByText('Acme Support').count()).toBeGreaterThan(0);
  expect(new URL(page.url()).pathname).toBe('/');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/signin/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email or password/i);
  expect(new URL(page.url()).pathname).toBe('/signin');

  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect.poll(() => page.getByText('Acme Support').count()).toBeGreaterThan(0);
});
