// /healthz answers 200 only while the database and the job queue are
// reachable: stopping PostgreSQL under a running app turns it to 503, and
// starting it again brings it back without restarting Parley.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded.ts';
import { applyMigrations } from '../../server/src/db/migrate.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { gqlOk } from '../helpers/graphql.ts';
import { eventually } from '../helpers/wait.ts';

let dir: string;
let db: EmbeddedDatabase;
let t: TestApp;

async function health(): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${t.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-health-'));
  db = await startEmbeddedPostgres(dir);
  await db.createDatabase('parley');
  await applyMigrations(db.urlFor('parley'));
  t = await startTestApp({ databaseUrl: db.urlFor('parley') });
});

afterAll(async () => {
  await t?.stop();
  await db?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('health', () => {
  it('is 200 with every check ok while everything is up', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: 'ok', queue: 'ok' } });
  });

  it('answers 503 while the database is down and recovers when it is back', async () => {
    const port = db.port;
    await db.stop();
    await eventually(async () => {
      const h = await health();
      expect(h.status).toBe(503);
      expect(h.body.status).toBe('unavailable');
      expect(h.body.database).not.toBe('ok');
    }, { timeoutMs: 15_000 });

    db = await startEmbeddedPostgres(dir, { port });
    await eventually(async () => expect(await health()).toEqual({ status: 200, body: { status: 'ok', database: 'ok', queue: 'ok' } }), { timeoutMs: 20_000, intervalMs: 250 });
    // And the API works again on the same process.
    const data = await gqlOk<{ signUp: { workspace: { name: string } } }>(t.url, 'mutation { signUp(workspaceName: "Back", name: "B", email: "back@example.test", password: "long enough password") { workspace { name } } }');
    expect(data.signUp.workspace.name).toBe('Back');
  });
});
