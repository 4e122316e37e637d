// Process entry: `npm start` ends up here. Reads the configuration, brings up
// the database (embedded when DATABASE_URL is unset), applies migrations and
// runs the roles PARLEY_ROLE asks for, until SIGINT/SIGTERM.
import path from 'node:path';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { applyMigrations } from './db/migrate.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadOrCreateKeyRing } from './security/keyring.ts';

async function database(config: Config, log: Logger): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const dir = path.join(config.dataDir, 'postgres');
  log.info({ dir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres(dir);
  await embedded.createDatabase('parley');
  return { url: embedded.urlFor('parley'), embedded };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`parley: configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const { ring, generatedFile } = await loadOrCreateKeyRing(config.keyRing, config.dataDir);
  if (generatedFile) {
    log.warn({ file: generatedFile }, 'PARLEY_ENCRYPTION_KEY is not set: credentials are encrypted with a key kept in this file. Back it up, or set PARLEY_ENCRYPTION_KEY in production.');
  }
  const db = await database(config, log);
  const applied = await applyMigrations(db.url);
  if (applied.length) log.info({ migrations: applied }, 'applied database migrations');

  const app = await buildApp({ config, databaseUrl: db.url, keyRing: ring, log });
  const { url } = await app.start();
  if (url) {
    // The address it listens on (what a local browser or script can reach), and the public one providers call.
    const local = url.replace('://0.0.0.0', '://localhost').replace('://127.0.0.1', '://localhost');
    const publicLine = config.publicUrl !== `http://localhost:${config.port}` ? `\n  Public URL (webhooks): ${config.publicUrl}` : '';
    console.log(`\n  Parley is running at ${local}${publicLine}\n  GraphQL: ${local}/graphql · health: ${local}/healthz\n`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const hardStop = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5_000);
    hardStop.unref();
    try {
      await app.stop();
      await db.embedded?.stop();
    } finally {
      log.flush();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`parley: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
