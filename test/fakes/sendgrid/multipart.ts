// A minimal multipart/form-data encoder (RFC 7578), enough for what Inbound
// Parse posts: text fields without per-part headers (their charset is only
// announced in the `charsets` field) and file parts with a filename and type.

/** The boundary SendGrid's Inbound Parse uses (see its published example payload). */
export const SENDGRID_BOUNDARY = 'xYzZY';

export interface FormPart {
  name: string;
  /** A string is sent as UTF-8; pass a Buffer for other encodings or binary content. */
  value: string | Buffer;
  /** Makes this a file part. */
  filename?: string;
  contentType?: string;
}

const quote = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c));

export function encodeMultipart(parts: FormPart[], boundary = SENDGRID_BOUNDARY): { body: Buffer; contentType: string } {
  const delimiter = Buffer.from(`--${boundary}`);
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const value = typeof part.value === 'string' ? Buffer.from(part.value, 'utf8') : part.value;
    // A fixed boundary is only safe while no content contains it.
    if (value.includes(delimiter)) throw new Error(`multipart: field ${part.name} contains the boundary ${boundary}`);
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.name)}"`;
    if (part.filename !== undefined) head += `; filename="${quote(part.filename)}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, 'utf8'), value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
