// `npm run migration:new -- <name>` writes a migration for the changes made to
// prisma/schema.prisma; `npm run migrate` applies pending ones to DATABASE_URL.
// The schema engine leaves a timer running, so the process exits explicitly.
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.ts';
import { applyMigrations, createMigration, pendingSchemaDiff } from './migrate.ts';

/** The schema engine needs a live connection even to diff two files: use DATABASE_URL or the embedded server. */
async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'));
    await embedded.createDatabase('parley');
    url = embedded.urlFor('parley');
  }
  try {
    return await fn(url);
  } finally {
    await embedded?.stop();
  }
}

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'new') {
    const dir = await withDatabase((url) => createMigration(name ?? '', url));
    console.log(dir ? `Created ${dir}` : 'schema.prisma matches the latest migration: nothing to create.');
  } else if (command === 'check') {
    const sql = await withDatabase((url) => pendingSchemaDiff(url));
    if (sql) {
      console.error(`schema.prisma has changes no migration carries:\n${sql}`);
      process.exit(1);
    }
    console.log('Migrations match schema.prisma.');
  } else if (command === 'deploy') {
    const applied = await withDatabase((url) => applyMigrations(url));
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'No pending migrations.');
  } else {
    console.error('usage: migrations-cli.ts new <name> | check | deploy');
    process.exit(2);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
