// Inbound Parse webhook requests: SendGrid receives a mail for the parse
// hostname and POSTs it, already split into fields, as multipart/form-data
// (the default, non-raw mode). Text fields arrive in the charsets the sender
// used, announced only by the `charsets` field; attachments are file parts
// attachment1..N described by `attachment-info`.
// https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook
import { randomBytes, type KeyObject } from 'node:crypto';
import { encodeMultipart, type FormPart } from './multipart.ts';
import { signatureHeaders } from './signing.ts';

export interface InboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Content-ID of an inline part (an image the html references as cid:...); listed in `content-ids`. */
  contentId?: string;
}

export interface InboundEmail {
  /** The From header, e.g. 'Eve Example <eve@example.com>'. */
  from: string;
  /** The To header (comma-separated for several). */
  to: string;
  cc?: string;
  subject: string;
  text?: string;
  html?: string;
  /**
   * Extra raw headers (Message-ID, In-Reply-To, References, ...). A name that
   * matches a generated header (case-insensitively) replaces it.
   */
  headers?: Record<string, string>;
  /** SMTP envelope; defaults to the From address and the To/Cc addresses. */
  envelope?: { from: string; to: string[] };
  attachments?: InboundAttachment[];
  /**
   * Charset per field (to, cc, from, subject, text, html), default UTF-8. The
   * field's bytes are encoded in it (utf-8, us-ascii and iso-8859-1 are
   * supported), so a receiver that ignores `charsets` garbles them.
   */
  charsets?: Record<string, string>;
  /** SpamAssassin score (default 0.1). */
  spamScore?: number;
  senderIp?: string;
  /** Result of the SPF check (default 'pass'). */
  spf?: string;
  /** The `dkim` field (default '{@<from domain> : pass}'). */
  dkim?: string;
  /** The Date header (default now). */
  date?: Date;
  /**
   * Line ending of the `headers` field (default CRLF, as on the wire).
   * SendGrid's published example shows LF, so receivers should accept both.
   */
  lineEnding?: '\r\n' | '\n';
}

export interface InboundParseForm {
  body: Buffer;
  /** 'multipart/form-data; boundary=xYzZY' */
  contentType: string;
  /** The text fields as sent (before charset encoding), for assertions. */
  fields: Record<string, string>;
}

const MX_HOST = 'mx0047p1mdw1.sendgrid.net';
const DEFAULT_SENDER_IP = '209.85.218.52';

const isPrintableAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);
/** RFC 2047 encoded-word, which is how non-ASCII reaches the raw header block. */
const encodedWord = (s: string) => (isPrintableAscii(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`);

/** The bare address of 'Name <a@b>' or 'a@b'. */
export function addressOf(value: string): string {
  const match = /<([^>]+)>/.exec(value);
  return (match ? match[1]! : value).trim();
}
/** Splits an address list on the commas between entries (not those inside a quoted name). */
function splitAddresses(list: string | undefined): string[] {
  if (!list) return [];
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c === '\\' && quoted) {
      current += c + (list[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out.map((a) => a.trim()).filter(Boolean);
}

function encodeAddressHeader(list: string): string {
  return splitAddresses(list)
    .map((entry) => {
      const match = /^(.*?)\s*<([^>]+)>$/.exec(entry);
      if (!match || !match[1]) return entry;
      const name = match[1].replace(/^"(.*)"$/, '$1');
      return isPrintableAscii(name) ? entry : `${encodedWord(name)} <${match[2]}>`;
    })
    .join(', ');
}

const rfc2822Date = (d: Date) => d.toUTCString().replace('GMT', '+0000');

function fieldEncoding(charset: string): BufferEncoding {
  const name = charset.toLowerCase();
  if (name === 'utf-8' || name === 'utf8') return 'utf8';
  if (name === 'iso-8859-1' || name === 'latin1' || name === 'us-ascii' || name === 'ascii') return 'latin1';
  throw new Error(`inboundParseForm: unsupported charset ${charset} (use utf-8, us-ascii or iso-8859-1)`);
}

function contentTypeHeader(email: InboundEmail, mimeBoundary: string): string {
  if (email.attachments?.length) return `multipart/mixed; boundary="${mimeBoundary}"`;
  if (email.text !== undefined && email.html !== undefined) return `multipart/alternative; boundary="${mimeBoundary}"`;
  if (email.html !== undefined) return 'text/html; charset="UTF-8"';
  return 'text/plain; charset="UTF-8"';
}

/** The raw header block: trace and DKIM headers SendGrid's MX saw, then the message's own. */
function headerBlock(email: InboundEmail, date: Date, senderIp: string, eol: string): string {
  const fromDomain = addressOf(email.from).split('@')[1] ?? 'example.com';
  const firstTo = addressOf(splitAddresses(email.to)[0] ?? email.to);
  const when = rfc2822Date(date);
  const mimeBoundary = randomBytes(12).toString('hex');
  const generated: [string, string][] = [
    ['Received', `by ${MX_HOST} with SMTP id ${randomBytes(6).toString('base64url')} ${when}`],
    [
      'Received',
      `from mail-out.${fromDomain} (mail-out.${fromDomain} [${senderIp}]) by ${MX_HOST} (Postfix) with ESMTPS id ${randomBytes(5).toString('hex').toUpperCase()} for <${firstTo}>; ${when}`,
    ],
    [
      'DKIM-Signature',
      `v=1; a=rsa-sha256; c=relaxed/relaxed; d=${fromDomain}; s=20230601; h=to:subject:message-id:date:from:mime-version; bh=${randomBytes(32).toString('base64')}; b=${randomBytes(64).toString('base64')}`,
    ],
    ['MIME-Version', '1.0'],
    ['From', encodeAddressHeader(email.from)],
    ['Date', when],
    ['Message-ID', `<${randomBytes(12).toString('hex')}@mail.${fromDomain}>`],
    ['Subject', encodedWord(email.subject)],
    ['To', encodeAddressHeader(email.to)],
  ];
  if (email.cc) generated.push(['Cc', encodeAddressHeader(email.cc)]);
  generated.push(['Content-Type', contentTypeHeader(email, mimeBoundary)]);

  const extra = Object.entries(email.headers ?? {});
  const lines = generated.map(([name, value]) => {
    const override = extra.find(([n]) => n.toLowerCase() === name.toLowerCase());
    return override ? `${name}: ${override[1]}` : `${name}: ${value}`;
  });
  const added = extra.filter(([n]) => !generated.some(([g]) => g.toLowerCase() === n.toLowerCase())).map(([n, v]) => `${n}: ${v}`);
  // Threading and list headers sit among the message's own headers, after MIME-Version.
  lines.splice(4, 0, ...added);
  return lines.join(eol) + eol;
}

function spamReport(score: number, text: string): string {
  const preview = text.replace(/\s+/g, ' ').trim().slice(0, 120);
  return [
    `Spam detection software, running on the system "${MX_HOST}",`,
    `has NOT identified this incoming email as spam.  The original`,
    'message has been attached to this so you can view it or label',
    'similar future email.  If you have any questions, see',
    '@@CONTACT_ADDRESS@@ for details.',
    '',
    `Content preview:  ${preview}`,
    '',
    `Content analysis details:   (${score.toFixed(1)} points, 5.0 required)`,
    '',
    ' pts rule name              description',
    '---- ---------------------- --------------------------------------------------',
    ' 0.0 HTML_MESSAGE           BODY: HTML included in message',
    '',
    '',
  ].join('\n');
}

/**
 * The multipart body Inbound Parse would POST for this email, with the
 * fields (and their order) of the default, non-raw mode. Optional fields are
 * omitted when SendGrid omits them: cc without a Cc header, text/html without
 * that body part, content-ids without inline parts, attachment-info without
 * attachments.
 */
export function inboundParseForm(email: InboundEmail): InboundParseForm {
  const eol = email.lineEnding ?? '\r\n';
  const date = email.date ?? new Date();
  const senderIp = email.senderIp ?? DEFAULT_SENDER_IP;
  const attachments = email.attachments ?? [];
  const spamScore = email.spamScore ?? 0.1;
  const envelope = email.envelope ?? {
    from: addressOf(email.from),
    to: [...splitAddresses(email.to), ...splitAddresses(email.cc)].map(addressOf),
  };
  const charsets: Record<string, string> = { to: 'UTF-8' };
  if (email.cc !== undefined) charsets.cc = 'UTF-8';
  if (email.html !== undefined) charsets.html = 'UTF-8';
  charsets.subject = 'UTF-8';
  charsets.from = 'UTF-8';
  if (email.text !== undefined) charsets.text = 'UTF-8';
  Object.assign(charsets, email.charsets);

  const fields: [string, string | undefined][] = [
    ['headers', headerBlock(email, date, senderIp, eol)],
    ['dkim', email.dkim ?? `{@${addressOf(email.from).split('@')[1] ?? 'example.com'} : pass}`],
  ];
  const inline = attachments.map((a, i) => [a.contentId, `attachment${i + 1}`] as const).filter(([cid]) => cid !== undefined);
  if (inline.length > 0) fields.push(['content-ids', JSON.stringify(Object.fromEntries(inline))]);
  fields.push(
    ['to', email.to],
    ['cc', email.cc],
    ['html', email.html],
    ['from', email.from],
    ['text', email.text],
    ['sender_ip', senderIp],
    ['spam_report', spamReport(spamScore, email.text ?? email.html ?? '')],
    ['envelope', JSON.stringify({ to: envelope.to, from: envelope.from })],
    ['attachments', String(attachments.length)],
    ['subject', email.subject],
    ['spam_score', spamScore.toFixed(3)],
  );
  if (attachments.length > 0) {
    const info = attachments.map((a, i) => [
      `attachment${i + 1}`,
      { filename: a.filename, name: a.filename, type: a.contentType, ...(a.contentId ? { 'content-id': a.contentId } : {}) },
    ]);
    fields.push(['attachment-info', JSON.stringify(Object.fromEntries(info))]);
  }
  fields.push(['charsets', JSON.stringify(charsets)], ['SPF', email.spf ?? 'pass']);

  const present = fields.filter((f): f is [string, string] => f[1] !== undefined);
  const parts: FormPart[] = present.map(([name, value]) => ({
    name,
    value: charsets[name] ? Buffer.from(value, fieldEncoding(charsets[name])) : value,
  }));
  attachments.forEach((a, i) => parts.push({ name: `attachment${i + 1}`, filename: a.filename, contentType: a.contentType, value: a.content }));
  return { ...encodeMultipart(parts), fields: Object.fromEntries(present) };
}

export interface PostInboundParseOptions {
  /** Signs the body like a Parse webhook with a signature security policy (same scheme as the Event Webhook). */
  privateKey?: KeyObject;
  timestamp?: string;
  /** Extra request headers (e.g. Authorization, for an OAuth security policy). */
  headers?: Record<string, string>;
}

export async function postInboundParse(
  url: string,
  form: { body: Buffer; contentType: string },
  opts: PostInboundParseOptions = {},
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': form.contentType, ...opts.headers };
  if (opts.privateKey) Object.assign(headers, signatureHeaders(opts.privateKey, form.body, opts.timestamp));
  // A copy typed as ArrayBuffer-backed, which is what fetch's BodyInit accepts.
  const res = await fetch(url, { method: 'POST', headers, body: new Uint8Array(form.body) });
  return { status: res.status, body: await res.text() };
}
