// Serves the built web inbox (web/dist). Hashed assets are cached forever;
// index.html never, so a deploy is picked up on the next load. Paths without a
// file extension fall back to index.html for the client-side router.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

async function fileAt(file: string): Promise<number | undefined> {
  const s = await stat(file).catch(() => undefined);
  return s?.isFile() ? s.size : undefined;
}

export function staticFiles(root: string) {
  const index = path.join(root, 'index.html');
  return async function serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end('Bad path');
      return;
    }
    const candidate = path.join(root, path.normalize(decoded));
    // Never outside root (path.join normalises "..", this catches what remains).
    const inside = candidate === root || candidate.startsWith(root + path.sep);
    let file = inside ? candidate : undefined;
    let size = file ? await fileAt(file) : undefined;
    if (size === undefined) {
      if (path.extname(decoded)) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      file = index;
      size = await fileAt(index);
      if (size === undefined) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The web inbox has not been built: run `npm start`, which builds it.');
        return;
      }
    }
    const immutable = file!.startsWith(path.join(root, 'assets') + path.sep);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file!)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file!).pipe(res);
  };
}
