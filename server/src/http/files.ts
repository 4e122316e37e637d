// GET /files/<id>?expires=…&sig=…: a stored attachment, for whoever holds a
// link that GraphQL handed to a member of its workspace (see signed-urls.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '../db.ts';
import type { FileUrlSigner } from '../security/signed-urls.ts';

/** Types a browser may render inline (matched on the whole essence); anything else is a download, so an uploaded HTML file cannot run as our origin. */
const INLINE = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+)$/;

/**
 * The type/subtype (lower-cased) of a stored Content-Type, or null unless it is exactly one
 * well-formed media type: browsers take the LAST type of a comma-separated list, so
 * "image/png, text/html" would be rendered as HTML if it were passed through.
 */
function essenceOf(contentType: string): string | null {
  const m = /^\s*([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)\s*(;[^,]*)?$/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : null;
}

/** RFC 8187 ext-value: encodeURIComponent leaves ' ( ) * as they are, which are not attr-chars. */
const extValue = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function decodedId(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.slice('/files/'.length));
  } catch {
    return null; // malformed %-escapes: no such file
  }
}

export async function serveFile(deps: { prisma: PrismaClient; signer: FileUrlSigner }, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const id = decodedId(pathname) ?? '';
  const url = new URL(req.url ?? '/', 'http://x');
  const expires = Number(url.searchParams.get('expires'));
  const sig = url.searchParams.get('sig') ?? '';
  const file = /^[0-9a-f-]{36}$/i.test(id) ? await deps.prisma.storedFile.findUnique({ where: { id } }) : null;
  if (!file || !deps.signer.verify(file.id, file.workspaceId, expires, sig)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('No such file, or the link has expired: open the message again for a fresh link.');
    return;
  }
  const essence = essenceOf(file.contentType);
  const inline = essence !== null && INLINE.test(essence);
  const charset = essence === 'text/plain' ? /;\s*charset="?([a-z0-9._:-]+)"?\s*(;|$)/i.exec(file.contentType)?.[1] : undefined;
  // The quoted fallback for old clients: printable ASCII without the quoted-string's own specials.
  const fallback = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    'content-type': inline ? `${essence}${charset ? `; charset=${charset}` : ''}` : 'application/octet-stream',
    'content-length': String(file.size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${extValue(file.name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=600',
  });
  res.end(Buffer.from(file.content));
}
