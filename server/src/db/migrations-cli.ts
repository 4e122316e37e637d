// `npm run migration:new -- <name>` writes a migration for the changes made to
// prisma/schema.prisma; `npm run migrate` applies pending ones to DATABASE_URL.
// The schema engine leaves a timer running, so the process exits explicitly.
import { applyMigrations, createMigration, pendingSchemaDiff } from './migrate.ts';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command === 'new') {
    const dir = await createMigration(name ?? '');
    console.log(dir ? `Created ${dir}` : 'schema.prisma matches the latest migration: nothing to create.');
  } else if (command === 'check') {
    const sql = await pendingSchemaDiff();
    if (sql) {
      console.error(`schema.prisma has changes no migration carries:\n${sql}`);
      process.exit(1);
    }
    console.log('Migrations match schema.prisma.');
  } else if (command === 'deploy') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (npm start migrates its embedded database by itself).');
    const applied = await applyMigrations(url);
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
