// The key ring for credentials at rest. PARLEY_ENCRYPTION_KEY holds either one
// base64 32-byte key, or several as "id:key,id:key" with the newest first: the
// first encrypts, all decrypt, so a key can be rotated without downtime
// (add the new key in front, restart, run `npm run rotate-key`, then drop the old).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface KeyRing {
  /** The key new writes use. */
  active: EncryptionKey;
  byId: Map<string, EncryptionKey>;
}

/** A key's default id: a short fingerprint, stable and not secret. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update('parley-key-id').update(key).digest('hex').slice(0, 12);
}

function decodeKey(text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new Error('each key must be 32 bytes, base64-encoded');
  return key;
}

export function parseKeyRing(raw: string): KeyRing {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('no key given');
  const keys = entries.map((entry): EncryptionKey => {
    const colon = entry.indexOf(':');
    if (colon === -1) {
      const key = decodeKey(entry);
      return { id: keyFingerprint(key), key };
    }
    const id = entry.slice(0, colon);
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(id)) throw new Error(`key id "${id}" may only use letters, digits, "_", "." and "-"`);
    return { id, key: decodeKey(entry.slice(colon + 1)) };
  });
  const byId = new Map<string, EncryptionKey>();
  for (const k of keys) {
    if (byId.has(k.id)) throw new Error(`key id "${k.id}" appears twice`);
    byId.set(k.id, k);
  }
  return { active: keys[0]!, byId };
}

/**
 * The configured ring, or one generated once into dataDir when none is
 * configured (so a first `npm start` just works); the caller warns about it.
 */
export async function loadOrCreateKeyRing(configured: KeyRing | undefined, dataDir: string): Promise<{ ring: KeyRing; generatedFile?: string }> {
  if (configured) return { ring: configured };
  const file = path.join(dataDir, 'encryption.key');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined) return { ring: parseKeyRing(existing.trim()), generatedFile: file };
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    // Another process created it first: use theirs.
    if (err.code !== 'EEXIST') throw err;
  });
  return { ring: parseKeyRing((await readFile(file, 'utf8')).trim()), generatedFile: file };
}
