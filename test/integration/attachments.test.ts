// Attachments: email files are stored by Parley and served through short-lived
// signed links (/files/<id>?expires=…&sig=…) that cover the file, its
// workspace and the expiry; Twilio media stay where Twilio hosts them. Files
// whose message was never stored are pruned after an hour.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { pruneOrphanFiles } from '../../server/src/jobs/maintenance.ts';
import { parseKeyRing } from '../../server/src/security/keyring.ts';
import { FileUrlSigner } from '../../server/src/security/signed-urls.ts';
import { ACCOUNT_SID } from '../helpers/twilio.ts';
import { TEAMMATE_EMAIL, messageId, startAllChannelsEnv, type AllChannelsEnv, type EmailWorkspace } from '../helpers/all-channels.ts';
import { TEST_KEY } from '../helpers/app.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { gqlOk } from '../helpers/graphql.ts';

let env: AllChannelsEnv;
let prisma: PrismaClient;
let beta: EmailWorkspace;
/** Signs like the app: the same key ring (TEST_KEY). */
const signer = new FileUrlSigner(parseKeyRing(TEST_KEY));
/** 50 KB: larger files are not kept. */
const MAX_BYTES = Math.floor(0.05 * 1024 * 1024);

beforeAll(async () => {
  env = await startAllChannelsEnv({ env: { MAX_ATTACHMENT_MB: '0.05' } });
  prisma = prismaFor(env.t.databaseUrl);
  beta = await env.addEmailWorkspace('Beta');
});

afterAll(async () => {
  await prisma?.$disconnect();
  await env?.stop();
});

interface AttachmentView {
  name: string;
  contentType: string | null;
  size: number | null;
  url: string | null;
  omitted: string | null;
}

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(300)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'), randomBytes(200), Buffer.from('\n%%EOF\n')]);
const HTML = Buffer.from('<!doctype html><html><body><script>fetch("/graphql")</script>Click me</body></html>');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>');
const TEXT = Buffer.from('Order 1234\nThanks!\n');

const origin = () => env.t.app.services.config.publicUrl;
const FILE_URL = () => new RegExp(`^${origin().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/files/([0-9a-f-]{36})\\?expires=(\\d+)&sig=([A-Za-z0-9_-]+)$`);

function parseFileUrl(url: string | null): { id: string; expires: number; sig: string } {
  const m = FILE_URL().exec(url ?? '');
  expect(m, `not a signed file URL: ${url}`).not.toBeNull();
  return { id: m![1]!, expires: Number(m![2]), sig: m![3]! };
}

async function attachmentsOf(taskId: string, token = env.admin.token): Promise<AttachmentView[][]> {
  const data = await gqlOk<{ task: { messages: { attachments: AttachmentView[] }[] } | null }>(
    env.t.url, 'query($id: ID!) { task(id: $id) { messages { attachments { name contentType size url omitted } } } }', { id: taskId }, token,
  );
  return (data.task?.messages ?? []).map((m) => m.attachments);
}

/** Posts an email with these files and returns its message's attachments, as GraphQL shows them. */
async function emailWith(files: { filename: string; contentType: string; content: Buffer }[], from = 'Fay Files <fay@example.com>'): Promise<{ providerMessageId: string; attachments: AttachmentView[] }> {
  const posted = await env.email({ from, subject: 'Files', text: 'See attached', headers: { 'Message-ID': messageId() }, attachments: files });
  expect(posted.status).toBe(200);
  const taskId = await env.taskOf(prisma, env.integrations.sendgrid, posted.providerMessageId);
  const [attachments] = await attachmentsOf(taskId);
  return { providerMessageId: posted.providerMessageId, attachments: attachments ?? [] };
}

const get = (pathOrUrl: string, init?: RequestInit) => fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${env.t.url}${pathOrUrl}`, init);

async function expect404(pathOrUrl: string): Promise<void> {
  const res = await get(pathOrUrl);
  expect(res.status, pathOrUrl).toBe(404);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await res.text()).not.toContain('%PDF');
}

describe('email attachments', () => {
  let png: AttachmentView;
  let pdf: AttachmentView;

  it('are listed with their name, type and size, and a signed link to Parley\'s copy', async () => {
    const big = randomBytes(MAX_BYTES + 1);
    const { attachments } = await emailWith([
      { filename: 'screenshot.png', contentType: 'image/png', content: PNG },
      { filename: 'invoice.pdf', contentType: 'application/pdf', content: PDF },
      { filename: 'huge.bin', contentType: 'application/zip', content: big },
    ]);
    expect(attachments).toHaveLength(3);
    [png, pdf] = attachments as [AttachmentView, AttachmentView];
    expect(png).toMatchObject({ name: 'screenshot.png', contentType: 'image/png', size: PNG.length, omitted: null });
    expect(pdf).toMatchObject({ name: 'invoice.pdf', contentType: 'application/pdf', size: PDF.length, omitted: null });
    const [a, b] = [parseFileUrl(png.url), parseFileUrl(pdf.url)];
    expect(a.id).not.toBe(b.id);
    // Valid for about an hour from now.
    const now = Date.now() / 1000;
    expect(a.expires).toBeGreaterThan(now + 55 * 60);
    expect(a.expires).toBeLessThanOrEqual(now + 70 * 60 + 1);
    // Over the cap: named and sized, but not kept, and so no link.
    expect(attachments[2]).toEqual({ name: 'huge.bin', contentType: 'application/zip', size: big.length, url: null, omitted: expect.stringContaining('MAX_ATTACHMENT_MB') });
  });

  it('serve the exact bytes, images and PDFs inline with their type, never sniffed', async () => {
    for (const [attachment, bytes, type] of [[png, PNG, 'image/png'], [pdf, PDF, 'application/pdf']] as const) {
      const res = await get(attachment.url!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="/);
      expect(res.headers.get('content-disposition')).toContain(`filename="${attachment.name}"`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-length')).toBe(String(bytes.length));
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it('serve HTML, SVG and anything a browser could render as a page as a download, never inline', async () => {
    const { attachments } = await emailWith([
      { filename: 'page.html', contentType: 'text/html', content: HTML },
      { filename: 'logo.svg', contentType: 'image/svg+xml', content: SVG },
      { filename: 'xml.xhtml', contentType: 'application/xhtml+xml', content: HTML },
      // Browsers take the LAST type of a comma-separated Content-Type: this one is HTML to them.
      { filename: 'sneaky.png', contentType: 'image/png, text/html', content: HTML },
      { filename: 'sneaky2.txt', contentType: 'text/plain;x=1,text/html', content: HTML },
      { filename: 'upper.htm', contentType: 'TEXT/HTML; charset=utf-8', content: HTML },
    ]);
    expect(attachments).toHaveLength(6);
    for (const a of attachments) {
      const res = await get(a.url!);
      expect(res.status, a.name).toBe(200);
      expect(res.headers.get('content-type'), a.name).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition'), a.name).toMatch(/^attachment; filename="/);
      expect(res.headers.get('x-content-type-options'), a.name).toBe('nosniff');
      expect(Buffer.from(await res.arrayBuffer()).equals(a.name === 'logo.svg' ? SVG : HTML), a.name).toBe(true);
    }
  });

  it('serve plain text inline, and keep a name with quotes and non-ASCII characters intact without breaking the header', async () => {
    const name = 'Résumé "final" (Bob\'s)*\\\r\nX-Evil: 1.txt';
    const { attachments } = await emailWith([{ filename: name, contentType: 'text/plain', content: TEXT }]);
    const [a] = attachments;
    expect(a?.name).toBe(name);
    const res = await get(a!.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain\b/);
    expect(res.headers.get('x-evil')).toBeNull();
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^inline; filename="[\x20-\x7e]*"; filename\*=UTF-8''/);
    expect(disposition).not.toMatch(/[\r\n]/);
    const [fallback, extValue] = [/filename="([^"]*)"/.exec(disposition)?.[1], disposition.split("filename*=UTF-8''")[1]!];
    // The quoted fallback: printable ASCII, nothing a quoted-string would take as an escape.
    expect(fallback).toMatch(/^[\x20-\x7e]*$/);
    expect(fallback).not.toMatch(/[\\"]/);
    // RFC 8187 ext-value: attr-chars and %-escapes only.
    expect(extValue).toMatch(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
    expect(decodeURIComponent(extValue)).toBe(name);
    expect(Buffer.from(await res.arrayBuffer()).equals(TEXT)).toBe(true);
  });

  it('answer 404 to a tampered signature, a wrong id, a changed expiry and an expired link', async () => {
    const { id, expires, sig } = parseFileUrl(pdf.url);
    const other = parseFileUrl(png.url);
    const path = (fileId: string, e: number | string, s: string) => `/files/${fileId}?expires=${e}&sig=${s}`;
    // The untouched link works, and so does one the test signs with the app's key ring (so the 404s below are the signature's doing).
    expect((await get(path(id, expires, sig))).status).toBe(200);
    expect((await get(signer.sign(id, env.workspaceId))).status).toBe(200);

    const flipped = `${sig.slice(0, 5)}${sig[5] === 'A' ? 'B' : 'A'}${sig.slice(6)}`;
    await expect404(path(id, expires, flipped));
    await expect404(path(id, expires, ''));
    await expect404(`/files/${id}?expires=${expires}`);
    await expect404(`/files/${id}`);
    await expect404(path(id, expires + 600, sig));
    // Another file's id with this file's signature, and ids that are no file.
    await expect404(path(other.id, expires, sig));
    await expect404(path(randomUUID(), expires, sig));
    await expect404(signer.sign(randomUUID(), env.workspaceId));
    await expect404(path('not-a-file', expires, sig));
    await expect404(path('%E0%A4%A', expires, sig));
    await expect404(path(`${id}%2F..`, expires, sig));
    // Expired: signed two hours ago (valid for an hour, rounded up to ten minutes).
    const old = signer.sign(id, env.workspaceId, Date.now() - 2 * 60 * 60 * 1000);
    expect(Number(new URL(old, 'http://x').searchParams.get('expires')) * 1000).toBeLessThan(Date.now());
    await expect404(old);
  });

  it('cannot be re-signed for another workspace: the signature covers the file\'s workspace', async () => {
    const { id } = parseFileUrl(png.url);
    await expect404(signer.sign(id, beta.admin.workspaceId));
    // Beta's admin cannot reach Acme's message through GraphQL either.
    const message = await prisma.storedFile.findUniqueOrThrow({ where: { id } });
    const taskId = (await prisma.message.findFirstOrThrow({ where: { integrationId: message.integrationId, providerMessageId: message.providerMessageId } })).taskId!;
    expect(await attachmentsOf(taskId, beta.admin.token)).toEqual([]);
    // And Beta's own files carry Beta's signature, which opens nothing of Acme's.
    const posted = await beta.email({ from: 'fay@example.com', subject: 'To Beta', text: 'file', attachments: [{ filename: 'beta.png', contentType: 'image/png', content: PNG }] });
    const betaTask = await env.taskOf(prisma, beta.integrationId, posted.providerMessageId);
    const [[betaFile]] = (await attachmentsOf(betaTask, beta.admin.token)) as [[AttachmentView]];
    const b = parseFileUrl(betaFile.url);
    expect((await get(betaFile.url!)).status).toBe(200);
    expect((await prisma.storedFile.findUniqueOrThrow({ where: { id: b.id } })).workspaceId).toBe(beta.admin.workspaceId);
    await expect404(`/files/${id}?expires=${b.expires}&sig=${b.sig}`);
  });

  it('are stored once when the provider delivers the same email again', async () => {
    const headers = { 'Message-ID': messageId() };
    const email = { from: 'Rita Retry <rita@example.com>', subject: 'Retry', text: 'Twice', headers, attachments: [
      { filename: 'a.png', contentType: 'image/png', content: PNG },
      { filename: 'b.pdf', contentType: 'application/pdf', content: PDF },
    ] };
    const first = await env.email(email);
    const second = await env.email(email);
    expect([first.status, second.status]).toEqual([200, 200]);
    const where = { integrationId: env.integrations.sendgrid, providerMessageId: headers['Message-ID'] };
    expect(await prisma.storedFile.count({ where })).toBe(2);
    expect(await prisma.message.count({ where })).toBe(1);
    const taskId = await env.taskOf(prisma, env.integrations.sendgrid, headers['Message-ID']);
    const [attachments] = await attachmentsOf(taskId);
    const ids = (attachments ?? []).map((a) => parseFileUrl(a.url).id);
    expect(new Set(ids)).toEqual(new Set((await prisma.storedFile.findMany({ where })).map((f) => f.id)));
  });

  it('are stored once when the provider delivers the same email several times at once', async () => {
    const headers = { 'Message-ID': messageId() };
    const email = { from: 'Rita Retry <rita@example.com>', subject: 'Concurrent retry', text: 'Thrice', headers, attachments: [
      { filename: 'a.png', contentType: 'image/png', content: PNG },
      { filename: 'b.pdf', contentType: 'application/pdf', content: PDF },
    ] };
    const results = await Promise.all([env.email(email), env.email(email), env.email(email)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const where = { integrationId: env.integrations.sendgrid, providerMessageId: headers['Message-ID'] };
    expect(await prisma.storedFile.count({ where })).toBe(2);
    expect(await prisma.message.count({ where })).toBe(1);
  });
});

describe('Twilio media', () => {
  it('appear as attachments with Twilio\'s URL, and nothing is stored by Parley', async () => {
    const sid = `MM${randomBytes(16).toString('hex')}`;
    const base = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media`;
    const media = [
      { url: `${base}/ME${'1'.repeat(32)}`, contentType: 'image/jpeg' },
      { url: `${base}/ME${'2'.repeat(32)}`, contentType: 'application/pdf' },
    ];
    const posted = await env.sms('Photo of the damage', { from: '+14155550141', messageSid: sid, media });
    expect(posted.status).toBe(200);
    const taskId = await env.taskOf(prisma, env.integrations.twilio, sid);
    const [attachments] = await attachmentsOf(taskId);
    expect(attachments).toEqual([
      { name: `ME${'1'.repeat(32)}.jpg`, contentType: 'image/jpeg', size: null, url: media[0]!.url, omitted: null },
      { name: `ME${'2'.repeat(32)}.pdf`, contentType: 'application/pdf', size: null, url: media[1]!.url, omitted: null },
    ]);
    expect(await prisma.storedFile.count({ where: { integrationId: env.integrations.twilio } })).toBe(0);

    // WhatsApp media too.
    const waSid = `MM${randomBytes(16).toString('hex')}`;
    const voice = { url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${waSid}/Media/ME${'3'.repeat(32)}`, contentType: 'audio/ogg' };
    await env.whatsapp('', { from: '+14155550142', messageSid: waSid, media: [voice], profileName: 'Vera Voice' });
    const [waAttachments] = await attachmentsOf(await env.taskOf(prisma, env.integrations.twilio, waSid));
    expect(waAttachments).toEqual([{ name: `ME${'3'.repeat(32)}.ogg`, contentType: 'audio/ogg', size: null, url: voice.url, omitted: null }]);
  });
});

describe('pruneOrphanFiles', () => {
  it('deletes, after an hour, the files of a teammate\'s email (dropped after they were written), and keeps those of stored messages', async () => {
    const teammate = await env.email({ from: `Tina <${TEAMMATE_EMAIL}>`, subject: 'Internal', text: 'FYI', attachments: [{ filename: 'internal.pdf', contentType: 'application/pdf', content: PDF }] });
    expect(teammate.status).toBe(200);
    const orphanWhere = { integrationId: env.integrations.sendgrid, providerMessageId: teammate.providerMessageId };
    expect(await prisma.message.count({ where: orphanWhere })).toBe(0);
    const [orphan] = await prisma.storedFile.findMany({ where: orphanWhere });
    expect(orphan).toBeDefined();

    const kept = await emailWith([{ filename: 'keep.png', contentType: 'image/png', content: PNG }], 'Kim Keep <kim@example.com>');
    const keptFile = parseFileUrl(kept.attachments[0]!.url);
    const storedFiles = await prisma.storedFile.count();

    // Not yet an hour old: nothing goes.
    expect(await pruneOrphanFiles(prisma, new Date())).toBe(0);
    expect(await pruneOrphanFiles(prisma, new Date(orphan!.createdAt.getTime() + 59 * 60_000))).toBe(0);
    expect(await prisma.storedFile.count()).toBe(storedFiles);

    // Over an hour old: only the orphan goes.
    expect(await pruneOrphanFiles(prisma, new Date(Date.now() + 61 * 60_000))).toBe(1);
    expect(await prisma.storedFile.findUnique({ where: { id: orphan!.id } })).toBeNull();
    expect(await prisma.storedFile.count()).toBe(storedFiles - 1);
    expect(await prisma.storedFile.findUnique({ where: { id: keptFile.id } })).not.toBeNull();
    const res = await get(kept.attachments[0]!.url!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });
});
