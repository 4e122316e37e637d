// One throwaway PostgreSQL for the whole run. A template database is migrated
// once; every test file clones it (CREATE DATABASE ... TEMPLATE), so files are
// isolated from each other and start from a clean schema in milliseconds.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded.ts';
import { applyMigrations } from '../../server/src/db/migrate.ts';

export const TEMPLATE_DB = 'parley_template';

let db: EmbeddedDatabase | undefined;
let dir: string | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    // An external server: the template is (re)built there.
    project.provide('pgAdminUrl', process.env.TEST_DATABASE_URL);
  } else {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-'));
    db = await startEmbeddedPostgres(dir);
    project.provide('pgAdminUrl', db.adminUrl);
  }
  const admin = new URL(process.env.TEST_DATABASE_URL ?? db!.adminUrl);
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await client.end();
  admin.pathname = `/${TEMPLATE_DB}`;
  await applyMigrations(admin.toString());
  project.provide('pgTemplate', TEMPLATE_DB);
}

export async function teardown(): Promise<void> {
  await db?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
