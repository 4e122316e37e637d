// Validation of a POST /v3/mail/send payload, the way SendGrid answers a 400:
// every problem at once, each naming the offending field by its JSON path
// ("personalizations.0.to.0.email"). Messages follow SendGrid's errors page
// where it documents them.
// https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors
// https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send
import { fieldError } from './errors.ts';
import type { ErrorItem } from './state.ts';

/** Total size limit of a mail/send request, attachments included. */
export const MAX_BODY_BYTES = 30 * 1024 * 1024;

/**
 * Headers SendGrid sets itself and refuses in `headers`. Threading headers
 * (Message-ID, In-Reply-To, References) are not among them, which is how a
 * reply is made to thread in the recipient's client.
 */
export const RESERVED_HEADERS = [
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'Content-Type',
  'Content-Transfer-Encoding',
  'To',
  'From',
  'Subject',
  'Reply-To',
  'CC',
  'BCC',
] as const;
const RESERVED = new Set(RESERVED_HEADERS.map((h) => h.toLowerCase()));

const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;

// One '@', no whitespace or address punctuation, and a dot in the domain: strict
// enough to catch "Name <a@b.c>" strings and empty values passed as addresses.
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]+$/;
export const isValidEmail = (v: unknown): v is string => typeof v === 'string' && EMAIL.test(v);

/** JSON Schema's name for a value's type, as SendGrid's "Invalid type" messages use it. */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const isObject = (v: unknown): v is Record<string, unknown> => jsonType(v) === 'object';
const invalidType = (expected: string, v: unknown) => `Invalid type. Expected: ${expected}, given: ${jsonType(v)}.`;

const FROM_REQUIRED =
  'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.';
const SUBJECT_REQUIRED =
  'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.';
const CONTENT_REQUIRED =
  'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.';

/** Errors for a `headers` object (top level or in a personalization); `at` is its path. */
function checkHeaders(headers: unknown, at: string): ErrorItem[] {
  if (headers === undefined) return [];
  if (!isObject(headers)) return [fieldError(at, invalidType('object', headers), 'headers')];
  const errors: ErrorItem[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (RESERVED.has(name.toLowerCase())) {
      // SendGrid does not document this message's exact wording; tests should match on `field`.
      errors.push(
        fieldError(at, `The header "${name}" is reserved and cannot be set. Reserved headers: ${RESERVED_HEADERS.join(', ')}.`, 'headers'),
      );
    } else if (typeof value !== 'string') {
      errors.push(fieldError(`${at}.${name}`, invalidType('string', value), 'headers'));
    }
  }
  return errors;
}

function checkCustomArgs(args: unknown, at: string): ErrorItem[] {
  if (args === undefined) return [];
  if (!isObject(args)) return [fieldError(at, invalidType('object', args), 'custom_args')];
  return Object.entries(args)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k, v]) => fieldError(`${at}.${k}`, invalidType('string', v), 'custom_args'));
}

/** to/cc/bcc of one personalization; returns the valid addresses seen, for the duplicate check. */
function checkRecipients(list: unknown, at: string, kind: 'to' | 'cc' | 'bcc', errors: ErrorItem[]): string[] {
  const anchor = `personalizations.${kind}`;
  if (list === undefined && kind !== 'to') return [];
  if (!Array.isArray(list) || list.length === 0) {
    if (kind === 'to') {
      errors.push(
        fieldError(
          at,
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          anchor,
        ),
      );
    } else {
      errors.push(fieldError(at, invalidType('array', list), anchor));
    }
    return [];
  }
  const seen: string[] = [];
  list.forEach((entry: unknown, j) => {
    const email = isObject(entry) ? entry.email : undefined;
    if (isValidEmail(email)) seen.push(email);
    else errors.push(fieldError(`${at}.${j}.email`, 'Does not contain a valid address.', anchor));
  });
  return seen;
}

function checkPersonalizations(value: unknown, errors: ErrorItem[]): { allHaveSubject: boolean } {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push(fieldError('personalizations', 'The personalizations field is required and must have at least one personalization.', 'personalizations'));
    return { allHaveSubject: false };
  }
  if (value.length > MAX_PERSONALIZATIONS) {
    errors.push(
      fieldError(
        'personalizations',
        `The personalization block is limited to 1000 personalizations per API request. You have provided ${value.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
        'personalizations',
      ),
    );
  }
  let recipients = 0;
  let allHaveSubject = true;
  value.forEach((p: unknown, i) => {
    const at = `personalizations.${i}`;
    if (!isObject(p)) {
      errors.push(fieldError(at, invalidType('object', p), 'personalizations'));
      allHaveSubject = false;
      return;
    }
    const addresses = [
      ...checkRecipients(p.to, `${at}.to`, 'to', errors).map((email) => ({ email, kind: 'to' })),
      ...checkRecipients(p.cc, `${at}.cc`, 'cc', errors).map((email) => ({ email, kind: 'cc' })),
      ...checkRecipients(p.bcc, `${at}.bcc`, 'bcc', errors).map((email) => ({ email, kind: 'bcc' })),
    ];
    recipients += addresses.length;
    const seen = new Set<string>();
    for (const { email, kind } of addresses) {
      const folded = email.toLowerCase();
      if (seen.has(folded)) {
        errors.push(
          fieldError(
            at,
            `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${email}] in the ${at}.${kind} field.`,
            'personalizations',
          ),
        );
        break;
      }
      seen.add(folded);
    }
    if (p.subject !== undefined && typeof p.subject !== 'string') errors.push(fieldError(`${at}.subject`, invalidType('string', p.subject), 'subject'));
    if (typeof p.subject !== 'string' || p.subject === '') allHaveSubject = false;
    errors.push(...checkHeaders(p.headers, `${at}.headers`), ...checkCustomArgs(p.custom_args, `${at}.custom_args`));
  });
  if (recipients > MAX_RECIPIENTS) {
    errors.push(fieldError('personalizations', 'There is a limit of 1000 total recipients (to + cc + bcc) per request.', 'personalizations'));
  }
  return { allHaveSubject };
}

function checkContent(body: Record<string, unknown>, errors: ErrorItem[]): void {
  const { content } = body;
  const hasTemplate = typeof body.template_id === 'string' && body.template_id !== '';
  if (content === undefined || (Array.isArray(content) && content.length === 0)) {
    if (!hasTemplate) errors.push(fieldError('content', CONTENT_REQUIRED, 'content'));
    return;
  }
  if (!Array.isArray(content)) {
    errors.push(fieldError('content', invalidType('array', content), 'content'));
    return;
  }
  const types = content.map((item: unknown) => (isObject(item) && typeof item.type === 'string' ? item.type.toLowerCase() : ''));
  content.forEach((item: unknown, i) => {
    if (types[i] === '') {
      errors.push(fieldError(`content.${i}.type`, 'The content type must be a string at least one character in length.', 'content.type'));
    }
    const value = isObject(item) ? item.value : undefined;
    if (typeof value !== 'string' || value === '') {
      errors.push(fieldError(`content.${i}.value`, 'The content value must be a string at least one character in length.', 'content.value'));
    }
  });
  const count = (type: string) => types.filter((t) => t === type).length;
  const plain = types.indexOf('text/plain');
  const html = types.indexOf('text/html');
  if (count('text/plain') > 1 || count('text/html') > 1) {
    errors.push(fieldError('content', 'If present, text/plain and text/html may only be provided once.', 'content'));
  } else if (plain > 0 || (html !== -1 && html !== plain + 1)) {
    // Mail clients show the last alternative they understand, so SendGrid
    // insists on plain, then html, then anything else.
    errors.push(fieldError('content', 'If present, text/plain must be first, followed by html, then any other content.', 'content'));
  }
}

function checkReplyTo(body: Record<string, unknown>, errors: ErrorItem[]): void {
  const { reply_to: replyTo, reply_to_list: list } = body;
  if (replyTo !== undefined && list !== undefined) {
    errors.push(fieldError('reply_to', 'The reply_to and reply_to_list fields cannot be used together; use one of them.', 'reply_to'));
  }
  if (replyTo !== undefined) {
    if (!isObject(replyTo)) errors.push(fieldError('reply_to', invalidType('object', replyTo), 'reply_to'));
    else if (!isValidEmail(replyTo.email)) errors.push(fieldError('reply_to.email', 'The reply_to email does not contain a valid address.', 'reply_to'));
  }
  if (list !== undefined) {
    if (!Array.isArray(list)) {
      errors.push(fieldError('reply_to_list', invalidType('array', list), 'reply_to_list'));
      return;
    }
    list.forEach((entry: unknown, i) => {
      if (!isObject(entry) || !isValidEmail(entry.email)) {
        errors.push(fieldError(`reply_to_list.${i}.email`, 'The reply_to_list email does not contain a valid address.', 'reply_to_list'));
      }
    });
  }
}

function checkAttachments(value: unknown, errors: ErrorItem[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    errors.push(fieldError('attachments', invalidType('array', value), 'attachments'));
    return;
  }
  value.forEach((a: unknown, i) => {
    const at = `attachments.${i}`;
    if (!isObject(a)) {
      errors.push(fieldError(at, invalidType('object', a), 'attachments'));
      return;
    }
    if (typeof a.content !== 'string' || a.content === '' || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(a.content)) {
      errors.push(fieldError(`${at}.content`, 'The attachment content must be base64 encoded.', 'attachments.content'));
    }
    if (typeof a.filename !== 'string' || a.filename === '') {
      errors.push(fieldError(`${at}.filename`, 'The attachment filename parameter is required.', 'attachments.filename'));
    }
  });
}

/** Every reason SendGrid would answer 400 to this payload (none: it would be accepted). */
export function validateMailSend(body: unknown): ErrorItem[] {
  if (!isObject(body)) return [{ message: 'Bad Request', field: null, help: null }];
  const errors: ErrorItem[] = [];
  const { allHaveSubject } = checkPersonalizations(body.personalizations, errors);

  const from = body.from;
  if (!isObject(from) || from.email === undefined || from.email === '') errors.push(fieldError('from.email', FROM_REQUIRED, 'from'));
  else if (!isValidEmail(from.email)) errors.push(fieldError('from.email', 'The from email does not contain a valid address.', 'from'));

  const hasSubject = typeof body.subject === 'string' && body.subject !== '';
  if (body.subject !== undefined && typeof body.subject !== 'string') errors.push(fieldError('subject', invalidType('string', body.subject), 'subject'));
  else if (!hasSubject && !allHaveSubject && body.template_id === undefined) errors.push(fieldError('subject', SUBJECT_REQUIRED, 'subject'));

  checkContent(body, errors);
  checkReplyTo(body, errors);
  checkAttachments(body.attachments, errors);
  errors.push(...checkHeaders(body.headers, 'headers'), ...checkCustomArgs(body.custom_args, 'custom_args'));
  return errors;
}
