// Short-lived signed URLs for stored files, so that a browser can show an
// attachment in an <img> or a download link without a bearer header. The
// signature covers the file, its workspace and the expiry; the key is derived
// from the encryption key ring, so rotating keys keeps recent links working.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from './keyring.ts';

export const FILE_URL_TTL_SECONDS = 60 * 60;

export class FileUrlSigner {
  private readonly keys: Buffer[];

  constructor(ring: KeyRing) {
    const derive = (key: Buffer) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'parley file urls v1', 32));
    this.keys = [derive(ring.active.key), ...[...ring.byId.values()].filter((k) => k.id !== ring.active.id).map((k) => derive(k.key))];
  }

  private mac(key: Buffer, fileId: string, workspaceId: string, expires: number): Buffer {
    return createHmac('sha256', key).update(`${fileId}\n${workspaceId}\n${expires}`).digest();
  }

  /** Path and query of a URL valid for FILE_URL_TTL_SECONDS (rounded up, so one file's URL is stable for a while and caches work). */
  sign(fileId: string, workspaceId: string, now = Date.now()): string {
    const expires = Math.ceil(now / 1000 / 600) * 600 + FILE_URL_TTL_SECONDS;
    const sig = this.mac(this.keys[0]!, fileId, workspaceId, expires).toString('base64url');
    return `/files/${encodeURIComponent(fileId)}?expires=${expires}&sig=${sig}`;
  }

  verify(fileId: string, workspaceId: string, expires: number, sig: string, now = Date.now()): boolean {
    if (!Number.isInteger(expires) || expires * 1000 < now) return false;
    const given = Buffer.from(sig, 'base64url');
    return this.keys.some((key) => {
      const expected = this.mac(key, fileId, workspaceId, expires);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}
