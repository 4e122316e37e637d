// multipart/form-data, as Inbound Parse posts it, into fields and files.
// Field values are kept as bytes (latin1 strings) so that they can be decoded
// with the charset SendGrid names for each in its `charsets` field.
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { WebhookError } from '../types.ts';

export interface FormFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MultipartForm {
  /** Raw bytes of each field, as a latin1 string. */
  fields: Map<string, string>;
  files: FormFile[];
}

const MAX_FIELDS = 200;
const MAX_FILES = 100;

export function parseMultipart(rawBody: Buffer, contentType: string | undefined): Promise<MultipartForm> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(new WebhookError(400, 'Inbound Parse posts multipart/form-data; this body is something else.'));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defCharset: 'latin1',
        defParamCharset: 'utf8',
        limits: { fields: MAX_FIELDS, files: MAX_FILES, fieldSize: rawBody.length, fileSize: rawBody.length },
      });
    } catch (err) {
      reject(new WebhookError(400, `Malformed multipart body: ${(err as Error).message}.`));
      return;
    }
    const fields = new Map<string, string>();
    const files: FormFile[] = [];
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => files.push({ field, filename: info.filename || field, contentType: info.mimeType || 'application/octet-stream', content: Buffer.concat(chunks) }));
    });
    parser.on('filesLimit', () => reject(new WebhookError(413, `More than ${MAX_FILES} attachments.`)));
    parser.on('fieldsLimit', () => reject(new WebhookError(400, `More than ${MAX_FIELDS} form fields.`)));
    parser.on('error', (err: Error) => reject(new WebhookError(400, `Malformed multipart body: ${err.message}.`)));
    parser.on('close', () => resolve({ fields, files }));
    Readable.from([rawBody]).pipe(parser);
  });
}

/** A field's text, decoded with the charset SendGrid reported for it (UTF-8 when none or unknown). */
export function decodeField(form: MultipartForm, name: string, charsets: Record<string, string>): string | undefined {
  const raw = form.fields.get(name);
  if (raw === undefined) return undefined;
  const bytes = Buffer.from(raw, 'latin1');
  const label = charsets[name] ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
