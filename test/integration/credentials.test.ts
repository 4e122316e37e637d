// The credential store: AES-256-GCM at rest, bound to its row, with key rotation.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../server/src/db.ts';
import { CredentialError, CredentialStore } from '../../server/src/security/credentials.ts';
import { loadOrCreateKeyRing, parseKeyRing } from '../../server/src/security/keyring.ts';
import { createTestDatabase } from '../helpers/db.ts';
import { prismaFor } from '../helpers/fixtures.ts';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
let prisma: PrismaClient;
let databaseUrl: string;
let workspaceId: string;

async function integration(): Promise<string> {
  const row = await prisma.integration.create({ data: { workspaceId, provider: 'SLACK', displayName: 'Test' } });
  return row.id;
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  prisma = prismaFor(databaseUrl);
  workspaceId = (await prisma.workspace.create({ data: { name: 'Crypto' } })).id;
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe('credential store', () => {
  it('round-trips secrets and stores only ciphertext under the active key', async () => {
    const store = new CredentialStore(prisma, parseKeyRing(`one:${k1}`));
    const id = await integration();
    const secrets = { botToken: `xoxb-${randomBytes(12).toString('hex')}`, signingSecret: randomBytes(16).toString('hex') };
    await store.put(id, secrets);
    expect(await store.get(id)).toEqual(secrets);
    const rows = await prisma.credential.findMany({ where: { integrationId: id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.keyId).toBe('one');
      const bytes = Buffer.from(row.ciphertext);
      expect(bytes.length).toBeGreaterThan(28);
      expect(bytes.includes(Buffer.from(secrets.botToken))).toBe(false);
      expect(bytes.includes(Buffer.from(secrets.signingSecret))).toBe(false);
    }
    // Same plaintext twice gives different ciphertext (fresh IV).
    await store.put(id, { botToken: secrets.botToken });
    const again = await prisma.credential.findFirstOrThrow({ where: { integrationId: id, name: 'botToken' } });
    expect(Buffer.from(again.ciphertext).equals(Buffer.from(rows.find((r) => r.name === 'botToken')!.ciphertext))).toBe(false);
  });

  it('refuses a ciphertext moved to another integration or tampered with', async () => {
    const store = new CredentialStore(prisma, parseKeyRing(`one:${k1}`));
    const a = await integration();
    const b = await integration();
    await store.put(a, { botToken: 'xoxb-secret-of-a' });
    await store.put(b, { botToken: 'xoxb-secret-of-b' });
    const rowA = await prisma.credential.findFirstOrThrow({ where: { integrationId: a } });
    await prisma.credential.updateMany({ where: { integrationId: b }, data: { ciphertext: rowA.ciphertext } });
    await expect(store.get(b)).rejects.toThrow(CredentialError);
    await expect(store.get(b)).rejects.toThrow(/integrity check/);

    const tampered = Buffer.from(rowA.ciphertext);
    tampered[tampered.length - 1]! ^= 0xff;
    await prisma.credential.updateMany({ where: { integrationId: a }, data: { ciphertext: new Uint8Array(tampered) } });
    await expect(store.get(a)).rejects.toThrow(/integrity check/);
  });

  it('rotates: old keys still read, new writes use the newest key, rotate() re-encrypts everything', async () => {
    await prisma.credential.deleteMany(); // rotation is global: start from rows this test knows the keys of
    const id = await integration();
    await new CredentialStore(prisma, parseKeyRing(`old:${k1}`)).put(id, { authToken: 'twilio-auth-token-123' });

    const ring = parseKeyRing(`new:${k2},old:${k1}`);
    const store = new CredentialStore(prisma, ring);
    expect(await store.get(id)).toEqual({ authToken: 'twilio-auth-token-123' });
    const other = await integration();
    await store.put(other, { apiKey: 'SG.sendgrid-key' });
    expect((await prisma.credential.findFirstOrThrow({ where: { integrationId: other } })).keyId).toBe('new');

    const before = await prisma.credential.count({ where: { keyId: { not: 'new' } } });
    expect(before).toBeGreaterThan(0);
    expect(await store.rotate()).toBe(before);
    expect(await prisma.credential.count({ where: { keyId: { not: 'new' } } })).toBe(0);
    expect(await store.rotate()).toBe(0);

    // Only the new key is needed now; a ring without it gives an actionable error.
    expect(await new CredentialStore(prisma, parseKeyRing(`new:${k2}`)).get(id)).toEqual({ authToken: 'twilio-auth-token-123' });
    await expect(new CredentialStore(prisma, parseKeyRing(`old:${k1}`)).get(id)).rejects.toThrow(/encrypted with key "new", which is not in PARLEY_ENCRYPTION_KEY/);
  });

  it('`npm run rotate-key` re-encrypts with the first key of the ring', async () => {
    await prisma.credential.deleteMany();
    const id = await integration();
    await new CredentialStore(prisma, parseKeyRing(k1)).put(id, { botToken: 'xoxb-cli-rotation' });
    const server = path.resolve(import.meta.dirname, '../../server');
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/security/rotate-cli.ts'], {
      cwd: server,
      env: { ...process.env, DATABASE_URL: databaseUrl, PARLEY_ENCRYPTION_KEY: `fresh:${k2},${k1}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/Re-encrypted [1-9]\d* credential\(s\) with key "fresh"/);
    expect(res.status).toBe(0);
    expect(await new CredentialStore(prisma, parseKeyRing(`fresh:${k2}`)).get(id)).toEqual({ botToken: 'xoxb-cli-rotation' });
  });

  it('generates a key into the data folder once when none is configured', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-key-'));
    const first = await loadOrCreateKeyRing(undefined, dir);
    expect(first.generatedFile).toBe(path.join(dir, 'encryption.key'));
    expect((await stat(first.generatedFile!)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(first.generatedFile!, 'utf8')).trim(), 'base64')).toHaveLength(32);
    const second = await loadOrCreateKeyRing(undefined, dir);
    expect(second.ring.active.key.equals(first.ring.active.key)).toBe(true);
    const configured = parseKeyRing(k1);
    expect(await loadOrCreateKeyRing(configured, dir)).toEqual({ ring: configured });
  });
});
