// The credential store: provider secrets (bot tokens, signing secrets, auth
// tokens, API keys) encrypted with AES-256-GCM. This is the only module that
// reads the Credential table. Each value is bound to its integration and name
// as associated data, so a ciphertext copied onto another row fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db.ts';
import type { KeyRing } from './keyring.ts';
import { rememberSecret } from './secret-scrubber.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CredentialError extends Error {
  override name = 'CredentialError';
}

function aad(integrationId: string, name: string): Buffer {
  return Buffer.from(`parley:credential:${integrationId}:${name}`);
}

export function encryptSecret(ring: KeyRing, integrationId: string, name: string, plaintext: string): { keyId: string; ciphertext: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.active.key, iv);
  cipher.setAAD(aad(integrationId, name));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: ring.active.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

export function decryptSecret(ring: KeyRing, integrationId: string, name: string, keyId: string, data: Uint8Array): string {
  const key = ring.byId.get(keyId);
  if (!key) throw new CredentialError(`Credential "${name}" was encrypted with key "${keyId}", which is not in PARLEY_ENCRYPTION_KEY. Add that key back to the ring.`);
  const buf = Buffer.from(data);
  const decipher = createDecipheriv('aes-256-gcm', key.key, buf.subarray(0, IV_BYTES));
  decipher.setAAD(aad(integrationId, name));
  decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new CredentialError(`Credential "${name}" failed its integrity check (wrong key or tampered data).`);
  }
}

type Tx = Pick<PrismaClient, 'credential'>;

export class CredentialStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly ring: KeyRing,
  ) {}

  /** Writes (or replaces) secrets of an integration; pass a transaction client to commit them with the integration. */
  async put(integrationId: string, secrets: Record<string, string>, tx: Tx = this.prisma): Promise<void> {
    for (const [name, value] of Object.entries(secrets)) {
      const { keyId, ciphertext } = encryptSecret(this.ring, integrationId, name, value);
      const bytes = new Uint8Array(ciphertext);
      await tx.credential.upsert({
        where: { integrationId_name: { integrationId, name } },
        create: { integrationId, name, keyId, ciphertext: bytes },
        update: { keyId, ciphertext: bytes },
      });
    }
  }

  async get(integrationId: string): Promise<Record<string, string>> {
    const rows = await this.prisma.credential.findMany({ where: { integrationId } });
    const out: Record<string, string> = {};
    for (const row of rows) {
      const value = decryptSecret(this.ring, integrationId, row.name, row.keyId, row.ciphertext);
      rememberSecret(value);
      out[row.name] = value;
    }
    return out;
  }

  async remove(integrationId: string, tx: Tx = this.prisma): Promise<void> {
    await tx.credential.deleteMany({ where: { integrationId } });
  }

  /** Re-encrypts every row not under the active key. Returns how many rows changed. */
  async rotate(batchSize = 200): Promise<number> {
    let changed = 0;
    for (;;) {
      const rows = await this.prisma.credential.findMany({ where: { keyId: { not: this.ring.active.id } }, take: batchSize });
      if (rows.length === 0) return changed;
      for (const row of rows) {
        const plain = decryptSecret(this.ring, row.integrationId, row.name, row.keyId, row.ciphertext);
        const { keyId, ciphertext } = encryptSecret(this.ring, row.integrationId, row.name, plain);
        // Guarded on the old key id so a concurrent write is never overwritten.
        const res = await this.prisma.credential.updateMany({
          where: { id: row.id, keyId: row.keyId },
          data: { keyId, ciphertext: new Uint8Array(ciphertext) },
        });
        changed += res.count;
      }
    }
  }
}
