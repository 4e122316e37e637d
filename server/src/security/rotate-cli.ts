// `npm run rotate-key`: re-encrypts every stored credential with the newest key
// of PARLEY_ENCRYPTION_KEY (the first of the ring). Safe to run while Parley is
// serving: rows are rewritten one by one, guarded against concurrent writes.
import path from 'node:path';
import { ConfigError, loadConfig } from '../config.ts';
import { createPrisma } from '../db.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { CredentialStore } from './credentials.ts';
import { loadOrCreateKeyRing } from './keyring.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const { ring } = await loadOrCreateKeyRing(config.keyRing, config.dataDir);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'));
  const prisma = createPrisma(config.databaseUrl ?? embedded!.urlFor('parley'));
  try {
    const changed = await new CredentialStore(prisma, ring).rotate();
    console.log(`Re-encrypted ${changed} credential(s) with key "${ring.active.id}".`);
  } finally {
    await prisma.$disconnect();
    await embedded?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
