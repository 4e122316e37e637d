// GET /files/<id>?expires=…&sig=…: a stored attachment, for whoever holds a
// link that GraphQL handed to a member of its workspace (see signed-urls.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '../db.ts';
import type { FileUrlSigner } from '../security/signed-urls.ts';

/** Types a browser may render inline; anything else is a download, so an uploaded HTML file cannot run as our origin. */
const INLINE = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain|audio\/|video\/)/i;

export async function serveFile(deps: { prisma: PrismaClient; signer: FileUrlSigner }, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const id = decodeURIComponent(pathname.slice('/files/'.length));
  const url = new URL(req.url ?? '/', 'http://x');
  const expires = Number(url.searchParams.get('expires'));
  const sig = url.searchParams.get('sig') ?? '';
  const file = /^[0-9a-f-]{36}$/i.test(id) ? await deps.prisma.storedFile.findUnique({ where: { id } }) : null;
  if (!file || !deps.signer.verify(file.id, file.workspaceId, expires, sig)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('No such file, or the link has expired: open the message again for a fresh link.');
    return;
  }
  const inline = INLINE.test(file.contentType);
  const name = file.name.replace(/[\r\n"]/g, '_');
  res.writeHead(200, {
    'content-type': inline ? file.contentType : 'application/octet-stream',
    'content-length': String(file.size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=600',
  });
  res.end(Buffer.from(file.content));
}
