// SendGrid Inbound Parse, end to end: multipart posts (as SendGrid sends them,
// and SendGrid's own published example) become messages and tasks: sender and
// contact, subject, text (from HTML when there is no text part), charsets,
// attachments kept behind signed URLs (or omitted over the per-file cap), the
// new text of a reply without its quoted history, team members dropped,
// retries stored once, body limits and malformed posts refused.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { encodeMultipart, inboundParseForm, postInboundParse, publishedExampleForm, publishedExamplePayload, type InboundEmail } from '../fakes/sendgrid/index.ts';
import { prismaFor } from '../helpers/fixtures.ts';
import { gqlOk } from '../helpers/graphql.ts';
import { CUSTOMER_EMAIL, FROM_EMAIL, INBOUND_DOMAIN, TEAMMATE_EMAIL, messageId, startSendGridEnv, type SendGridEnv } from '../helpers/sendgrid.ts';
import { taskOfProviderMessage } from '../helpers/twilio.ts';

let env: SendGridEnv;
let prisma: PrismaClient;

beforeAll(async () => {
  env = await startSendGridEnv();
  prisma = prismaFor(env.t.databaseUrl);
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
interface TaskView {
  id: string;
  title: string;
  channel: string;
  contact: { id: string; name: string | null; email: string | null };
  conversation: { channel: string; address: string | null; subject: string | null };
  messages: { direction: string; status: string; body: string; fullBody: string; attachments: AttachmentView[] }[];
}
const TASK = `id title channel contact { id name email } conversation { channel address subject }
  messages { direction status body fullBody attachments { name contentType size url omitted } }`;

async function taskView(id: string, e = env): Promise<TaskView> {
  return (await gqlOk<{ task: TaskView }>(e.t.url, `query($id: ID!) { task(id: $id) { ${TASK} } }`, { id }, e.admin.token)).task;
}

/** Builds an Inbound Parse form (from the customer to support@ unless given) with a known Message-ID. */
function form(over: Partial<InboundEmail> = {}, id = messageId()): { form: ReturnType<typeof inboundParseForm>; id: string } {
  const built = inboundParseForm({
    from: `Eve Example <${CUSTOMER_EMAIL}>`,
    to: `Acme Support <${FROM_EMAIL}>`,
    subject: 'Invoice question',
    text: 'Hello',
    ...over,
    headers: { 'Message-ID': id, ...over.headers },
  });
  return { form: built, id };
}

/** Posts an email; returns the answer and the Message-ID it carried. */
async function send(over: Partial<InboundEmail> = {}, e = env): Promise<{ status: number; body: string; id: string }> {
  const { form: f, id } = form(over);
  return { ...(await postInboundParse(e.webhookUrl, f)), id };
}

const rowOf = (id: string, e = env) => prisma.message.findFirst({ where: { integrationId: e.integrationId, providerMessageId: id } });
const taskOf = (id: string, e = env) => taskOfProviderMessage(prisma, e.integrationId, id);
const messageCount = () => prisma.message.count();
/** An absolute URL Parley gave, fetched at the test server's address. */
const fetchLocal = (url: string, e = env) => {
  const u = new URL(url);
  return fetch(`${e.t.url}${u.pathname}${u.search}`);
};

describe('Inbound Parse: the email', () => {
  it('reads sender, subject and text, stores the Message-ID as the provider id, and makes a task for the contact', async () => {
    const res = await send({ subject: 'Invoice question', text: 'Hello, my invoice for May is wrong.\nCan you check?' });
    expect(res).toMatchObject({ status: 200 });
    const row = await rowOf(res.id);
    expect(row).toMatchObject({ direction: 'INBOUND', status: 'RECEIVED', channel: 'EMAIL', senderId: CUSTOMER_EMAIL, body: 'Hello, my invoice for May is wrong.\nCan you check?', fullBody: null });
    const task = await taskView(await taskOf(res.id));
    expect(task).toMatchObject({
      title: 'Hello, my invoice for May is wrong.',
      channel: 'EMAIL',
      contact: { name: 'Eve Example', email: CUSTOMER_EMAIL },
      conversation: { channel: 'EMAIL', address: CUSTOMER_EMAIL, subject: 'Invoice question' },
      messages: [{ direction: 'INBOUND', status: 'RECEIVED', body: 'Hello, my invoice for May is wrong.\nCan you check?', fullBody: 'Hello, my invoice for May is wrong.\nCan you check?', attachments: [] }],
    });
  });

  it('matches the contact by address, case-insensitively', async () => {
    const first = await send({ from: `Eve Example <${CUSTOMER_EMAIL}>`, subject: 'First' });
    const shouting = await send({ from: 'EVE@Example.COM', subject: 'Second, unrelated' });
    const named = await send({ from: '"Eve E." <Eve@EXAMPLE.com>', subject: 'Third, unrelated' });
    expect([first.status, shouting.status, named.status]).toEqual([200, 200, 200]);
    const rows = await Promise.all([first.id, shouting.id, named.id].map((id) => rowOf(id)));
    const contacts = new Set(rows.map((r) => r?.contactId));
    expect(contacts.size).toBe(1);
    expect([...contacts][0]).toBeTruthy();
    expect(rows.map((r) => r?.senderId)).toEqual([CUSTOMER_EMAIL, CUSTOMER_EMAIL, CUSTOMER_EMAIL]);
    expect(await prisma.contact.count({ where: { email: { equals: CUSTOMER_EMAIL, mode: 'insensitive' } } })).toBe(1);
    const task = await taskView(await taskOf(shouting.id));
    expect(task.contact).toEqual({ id: [...contacts][0], name: 'Eve Example', email: CUSTOMER_EMAIL });
  });

  it('parses display names with a real address parser: quoted commas and encoded words', async () => {
    const quoted = await send({ from: '"Doe, Jane" <Jane.Doe@Example.org>', subject: 'Quoted' });
    const b64 = await send({ from: `=?UTF-8?B?${Buffer.from('Zoë Müller').toString('base64')}?= <zoe@example.de>`, subject: 'Encoded B' });
    const outlook = await send({ from: '=?iso-8859-1?Q?M=FCller=2C_J=FCrgen?= <juergen@example.de>', subject: 'Encoded Q' });
    const contacts = await Promise.all([quoted, b64, outlook].map(async (r) => (await taskView(await taskOf(r.id))).contact));
    expect(contacts.map(({ name, email }) => ({ name, email }))).toEqual([
      { name: 'Doe, Jane', email: 'jane.doe@example.org' },
      { name: 'Zoë Müller', email: 'zoe@example.de' },
      { name: 'Müller, Jürgen', email: 'juergen@example.de' },
    ]);
  });

  it('decodes an encoded-word subject', async () => {
    const res = await send({ from: 'subject-test@example.org', subject: '=?UTF-8?Q?R=C3=BCckfrage_zur_=C3=9Cberweisung?=' });
    expect((await taskView(await taskOf(res.id))).conversation.subject).toBe('Rückfrage zur Überweisung');
  });

  it('reads to (with quoted commas) and remembers which of our addresses was written to', async () => {
    const res = await send({ from: 'to-test@example.org', to: `"Acme, Support" <${FROM_EMAIL}>, "Desk, Reply" <desk@${INBOUND_DOMAIN}>`, cc: '"Doe, John" <john@example.org>', subject: 'Addresses' });
    expect(res.status).toBe(200);
    const task = await prisma.task.findUniqueOrThrow({ where: { id: await taskOf(res.id) } });
    expect(task.ourAddress).toBe(`desk@${INBOUND_DOMAIN}`);
    expect(task.address).toBe('to-test@example.org');
  });

  it('derives the text of an HTML-only email, and cuts its quoted history too', async () => {
    const html = [
      '<div dir="ltr">Hi team,<br><br>the <b>export</b> fails &amp; shows &quot;Error 42&quot;.</div><br>',
      '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 3 Jun 2024 at 10:00, Acme Support &lt;support@acme.test&gt; wrote:<br></div>',
      '<blockquote class="gmail_quote">Did the export work?</blockquote></div>',
    ].join('');
    const res = await send({ from: 'html-only@example.org', subject: 'HTML only', text: undefined, html });
    expect(res.status).toBe(200);
    const row = await rowOf(res.id);
    expect(row?.body).toBe('Hi team,\n\nthe export fails & shows "Error 42".');
    expect(row?.fullBody).toContain('Did the export work?');
    expect(row?.fullBody).toContain('the export fails & shows "Error 42".');
    expect(row?.fullBody).not.toMatch(/<\/?(div|b|br|blockquote)\b/i);
  });

  it('decodes fields in the charset SendGrid names for them (iso-8859-1)', async () => {
    const latin = { text: 'Grüße aus Köln, ça va? Déjà payé.', subject: 'Frage zur Überweisung', from: 'Zoë Öztürk <zoe.oeztuerk@example.de>' };
    const { form: f, id } = form({ ...latin, charsets: { text: 'iso-8859-1', subject: 'iso-8859-1', from: 'iso-8859-1' } });
    // The fields really travel as ISO-8859-1 bytes (a UTF-8 reading would garble them).
    const part = (encoding: BufferEncoding) => Buffer.concat([Buffer.from('name="text"\r\n\r\n'), Buffer.from(latin.text, encoding)]);
    expect(f.body.includes(part('latin1'))).toBe(true);
    expect(f.body.includes(part('utf8'))).toBe(false);
    expect(f.fields.charsets).toContain('"text":"iso-8859-1"');
    expect((await postInboundParse(env.webhookUrl, f)).status).toBe(200);
    const task = await taskView(await taskOf(id));
    expect(task.messages[0]!.body).toBe(latin.text);
    expect(task.conversation.subject).toBe(latin.subject);
    expect(task.contact).toMatchObject({ name: 'Zoë Öztürk', email: 'zoe.oeztuerk@example.de' });
  });

  it('accepts SendGrid\'s published example payload and makes a sensible message of it', async () => {
    const res = await postInboundParse(env.webhookUrl, publishedExampleForm());
    expect(res.status).toBe(200);
    const id = '<CAGsruKuAJk58E07TRMD28pA+mktpZ1mg2fjr6PAWj19e0jdnFg@mail.gmail.com>';
    const row = await rowOf(id);
    expect(row).toMatchObject({ senderId: 'aroach@gmail.com', channel: 'EMAIL' });
    const task = await taskView(await taskOf(id));
    expect(task.contact).toMatchObject({ name: 'Ashley Roach', email: 'aroach@gmail.com' });
    expect(task.conversation.subject).toBe('Fwd: testing webhook parse');
    expect(task.messages).toHaveLength(1);
    expect(task.messages[0]!.body).toContain('this is the body for webhook parse');
    expect(task.messages[0]!.body).toBe(publishedExamplePayload.text.trim());
    expect(task.messages[0]!.attachments).toEqual([]);
    // A retry of it stores nothing more.
    expect((await postInboundParse(env.webhookUrl, publishedExampleForm())).status).toBe(200);
    expect(await prisma.message.count({ where: { providerMessageId: id } })).toBe(1);
  });
});

describe('Inbound Parse: the new text of a reply', () => {
  const layouts: [string, string, string][] = [
    [
      'Gmail',
      'Yes, that works for me.\n\nOn Mon, Jun 3, 2024 at 10:00 AM Acme Support <support@acme.test> wrote:\n\n> Would Friday work?\n> Acme',
      'Yes, that works for me.',
    ],
    [
      'Outlook',
      'Please cancel it.\n\nEve\n\n________________________________\nFrom: Acme Support <support@acme.test>\nSent: Monday, June 3, 2024 10:00 AM\nTo: Eve Example <eve@example.com>\nSubject: RE: Order\n\nHi Eve, shall we cancel?',
      'Please cancel it.\n\nEve',
    ],
    [
      'German',
      'Danke, das passt.\n\nAm Mo., 3. Juni 2024 um 10:00 Uhr schrieb Acme Support <support@acme.test>:\n\n> Hallo Eve,\n> passt Freitag?',
      'Danke, das passt.',
    ],
    [
      'French',
      'Merci, c\'est parfait.\n\nLe lun. 3 juin 2024 à 10:00, Acme Support <support@acme.test> a écrit :\n\n> Bonjour Eve,\n> vendredi ?',
      'Merci, c\'est parfait.',
    ],
    ['trailing "> " block', 'Friday is fine.\n\n> Would Friday work?\n> Acme Support\n', 'Friday is fine.'],
  ];

  it.each(layouts)('%s: shows the new text, keeps the whole email as fullBody', async (layout, text, expected) => {
    const res = await send({ from: `quotes-${layout.replace(/\W/g, '').toLowerCase()}@example.org`, subject: `Re: ${layout}`, text });
    expect(res.status).toBe(200);
    const task = await taskView(await taskOf(res.id));
    expect(task.messages).toEqual([expect.objectContaining({ body: expected, fullBody: text.trim() })]);
    expect(task.title).toBe(expected.split('\n')[0]);
  });

  it('keeps a message that only looks like a reply whole', async () => {
    const text = 'On Monday we tried the export again.\nIt still fails.';
    const res = await send({ from: 'not-a-quote@example.org', subject: 'Export', text });
    const row = await rowOf(res.id);
    expect(row).toMatchObject({ body: text, fullBody: null });
  });
});

describe('Inbound Parse: attachments', () => {
  it('keeps each file\'s name, type, size and bytes, served through a signed URL', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(3000)]);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1500)]);
    const res = await send({
      from: 'files@example.org', subject: 'Files', text: 'Screenshot and invoice attached.',
      attachments: [{ filename: 'screenshot.png', contentType: 'image/png', content: png }, { filename: 'Rechnung März.pdf', contentType: 'application/pdf', content: pdf }],
    });
    expect(res.status).toBe(200);
    const task = await taskView(await taskOf(res.id));
    const [a, b] = task.messages[0]!.attachments;
    expect(task.messages[0]!.attachments).toHaveLength(2);
    expect(a).toMatchObject({ name: 'screenshot.png', contentType: 'image/png', size: png.length, omitted: null, url: expect.stringMatching(/\/files\/[0-9a-f-]{36}\?/) });
    expect(b).toMatchObject({ name: 'Rechnung März.pdf', contentType: 'application/pdf', size: pdf.length, omitted: null, url: expect.any(String) });
    for (const [att, bytes] of [[a!, png], [b!, pdf]] as const) {
      const file = await fetchLocal(att.url!);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe(att.contentType);
      expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    }
    // The link is signed: tampering with it finds nothing.
    const tampered = new URL(a!.url!);
    tampered.searchParams.set('sig', `${tampered.searchParams.get('sig')!.slice(0, -2)}xx`);
    expect((await fetchLocal(tampered.toString())).status).toBe(404);
    // The message row keeps metadata, not the bytes.
    const row = await rowOf(res.id);
    expect(JSON.stringify(row?.attachments)).not.toContain(png.toString('base64').slice(0, 40));
    expect(await prisma.storedFile.count({ where: { providerMessageId: res.id } })).toBe(2);
  });

  it('accepts a 2 MB email (more than the 1 MB other providers get)', async () => {
    const big = randomBytes(2 * 1024 * 1024);
    const { form: f, id } = form({ from: 'big@example.org', subject: 'Big', text: 'The log file.', attachments: [{ filename: 'log.bin', contentType: 'application/octet-stream', content: big }] });
    expect(f.body.length).toBeGreaterThan(2 * 1024 * 1024);
    expect((await postInboundParse(env.webhookUrl, f)).status).toBe(200);
    const task = await taskView(await taskOf(id));
    const att = task.messages[0]!.attachments[0]!;
    expect(att).toMatchObject({ name: 'log.bin', size: big.length, omitted: null });
    const file = await fetchLocal(att.url!);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await file.arrayBuffer()).equals(big)).toBe(true);
  });

  it('refuses a body over 30 MB with 413 and stores nothing', async () => {
    const before = await messageCount();
    const { form: f, id } = form({ from: 'huge@example.org', subject: 'Huge', attachments: [{ filename: 'huge.bin', contentType: 'application/octet-stream', content: randomBytes(30 * 1024 * 1024 + 4096) }] });
    expect(f.body.length).toBeGreaterThan(30 * 1024 * 1024);
    expect((await postInboundParse(env.webhookUrl, f)).status).toBe(413);
    expect(await rowOf(id)).toBeNull();
    expect(await messageCount()).toBe(before);
  });
});

describe('Inbound Parse: what is not stored (twice)', () => {
  it('drops emails from a team member\'s address, whatever its case', async () => {
    const before = await messageCount();
    for (const from of [`Tina <${TEAMMATE_EMAIL}>`, TEAMMATE_EMAIL.toUpperCase(), `"Tina (Acme)" <Tina@Acme.Test>`]) {
      const res = await send({ from, subject: 'Internal note' });
      expect(res.status).toBe(200);
      expect(await rowOf(res.id)).toBeNull();
    }
    expect(await messageCount()).toBe(before);
    expect(await prisma.contact.count({ where: { email: { equals: TEAMMATE_EMAIL, mode: 'insensitive' } } })).toBe(0);
  });

  it('drops a copy of our own reply (from the integration\'s sender address)', async () => {
    const before = await messageCount();
    const res = await send({ from: `Acme Support <${FROM_EMAIL.toUpperCase()}>`, subject: 'Re: Invoice question' });
    expect(res.status).toBe(200);
    expect(await rowOf(res.id)).toBeNull();
    expect(await messageCount()).toBe(before);
  });

  it('stores a retried email (same Message-ID) once, with its attachment once', async () => {
    const { form: f, id } = form({ from: 'retry@example.org', subject: 'Retry', text: 'Once please', attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('attachment body') }] });
    expect((await postInboundParse(env.webhookUrl, f)).status).toBe(200);
    expect((await postInboundParse(env.webhookUrl, f)).status).toBe(200);
    // Concurrent retries too.
    const answers = await Promise.all([1, 2, 3].map(() => postInboundParse(env.webhookUrl, f)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await prisma.message.count({ where: { providerMessageId: id } })).toBe(1);
    expect(await prisma.storedFile.count({ where: { providerMessageId: id } })).toBe(1);
    const task = await taskView(await taskOf(id));
    expect(task.messages).toHaveLength(1);
  });

  it('stores a retried email without a Message-ID once too', async () => {
    const before = await prisma.message.count({ where: { senderId: 'no-id@example.org' } });
    expect(before).toBe(0);
    const { form: f } = form({ from: 'no-id@example.org', subject: 'No id', text: 'My mailer sets no Message-ID', headers: { 'Message-ID': '' } });
    expect((await postInboundParse(env.webhookUrl, f)).status).toBe(200);
    expect((await postInboundParse(env.webhookUrl, f)).status).toBe(200);
    const rows = await prisma.message.findMany({ where: { senderId: 'no-id@example.org' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).toBe('My mailer sets no Message-ID');
  });

  it('answers 400 to malformed multipart bodies and stores nothing', async () => {
    const before = await messageCount();
    const { form: good } = form({ from: 'malformed@example.org', subject: 'Malformed' });
    const post = (body: Buffer | string, contentType: string) => fetch(env.webhookUrl, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
    const cases: [string, Buffer | string, string][] = [
      ['truncated in the middle of a part', good.body.subarray(0, Math.floor(good.body.length / 2)), good.contentType],
      ['no boundary parameter', good.body, 'multipart/form-data'],
      ['not multipart at all', JSON.stringify({ from: CUSTOMER_EMAIL, text: 'hi' }), 'application/json'],
      ['urlencoded', 'from=eve%40example.com&text=hi', 'application/x-www-form-urlencoded'],
      ['a boundary that is not in the body', good.body, 'multipart/form-data; boundary=somethingelse'],
      ['a form without a sender', encodeMultipart([{ name: 'text', value: 'who am I?' }, { name: 'subject', value: 'anonymous' }]).body, 'multipart/form-data; boundary=xYzZY'],
    ];
    for (const [what, body, contentType] of cases) {
      const res = await post(body, contentType);
      expect(res.status, what).toBe(400);
    }
    expect(await messageCount()).toBe(before);
  });
});

describe('Inbound Parse: the per-file cap (MAX_ATTACHMENT_MB)', () => {
  let small: SendGridEnv;

  beforeAll(async () => {
    small = await startSendGridEnv({ env: { MAX_ATTACHMENT_MB: '0.001' } }); // 1048 bytes
  });

  afterAll(async () => {
    await small?.stop();
  });

  it('keeps a file over the cap as name and size only, marked omitted; smaller files in full', async () => {
    const smallPrisma = prismaFor(small.t.databaseUrl);
    try {
      const little = randomBytes(500);
      const large = randomBytes(5000);
      const { form: f, id } = form({ from: 'cap@example.org', subject: 'Cap', text: 'Two files', attachments: [{ filename: 'little.bin', contentType: 'application/octet-stream', content: little }, { filename: 'large.pdf', contentType: 'application/pdf', content: large }] });
      expect((await postInboundParse(small.webhookUrl, f)).status).toBe(200);
      const task = await taskView(await taskOfProviderMessage(smallPrisma, small.integrationId, id), small);
      const [kept, omitted] = task.messages[0]!.attachments;
      expect(kept).toMatchObject({ name: 'little.bin', size: 500, omitted: null, url: expect.any(String) });
      expect(omitted).toEqual({ name: 'large.pdf', contentType: 'application/pdf', size: 5000, url: null, omitted: expect.stringMatching(/MAX_ATTACHMENT_MB/) });
      expect(Buffer.from(await (await fetchLocal(kept!.url!, small)).arrayBuffer()).equals(little)).toBe(true);
      const files = await smallPrisma.storedFile.findMany({ where: { providerMessageId: id } });
      expect(files.map((x) => [x.name, x.size])).toEqual([['little.bin', 500]]);
    } finally {
      await smallPrisma.$disconnect();
    }
  });
});
