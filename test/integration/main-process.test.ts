// The real entry point, as `npm start` runs it: with DATABASE_URL it uses that
// database and starts no embedded server; without it, it brings up its own
// PostgreSQL under PARLEY_DATA_DIR, generates a key with a warning, migrates,
// serves, and on SIGTERM stops everything it started.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/db.ts';
import { spawnMain, type MainProcess } from '../helpers/main-process.ts';
import { gqlOk } from '../helpers/graphql.ts';

const running: ChildProcess[] = [];
const dirs: string[] = [];

function startMain(env: Record<string, string>): MainProcess {
  const main = spawnMain({ DATABASE_URL: '', PARLEY_ENCRYPTION_KEY: '', ...env });
  running.push(main.child);
  return main;
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-main-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('main process', () => {
  it('uses DATABASE_URL when set and starts no embedded PostgreSQL', async () => {
    const dataDir = await tempDir();
    const main = startMain({ DATABASE_URL: await createTestDatabase(), PARLEY_DATA_DIR: dataDir, PARLEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') });
    const url = await main.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'encryption.key'))).toBe(false);
    main.child.kill('SIGTERM');
    expect(await stopped(main.child)).toBe(0);
    expect(main.output()).toContain('"msg":"stopped"');
  });

  it('without DATABASE_URL runs its own PostgreSQL, keeps data across restarts and stops it on SIGTERM', async () => {
    const dataDir = await tempDir();
    const first = startMain({ PARLEY_DATA_DIR: dataDir });
    const url = await first.url;
    expect(first.output()).toMatch(/PARLEY_ENCRYPTION_KEY is not set/);
    expect(first.output()).toMatch(/applied database migrations/);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok', database: 'ok', queue: 'ok' });
    await gqlOk(url, 'mutation { signUp(workspaceName: "Kept", name: "K", email: "kept@example.test", password: "long enough password") { token } }');
    const key = await readFile(path.join(dataDir, 'encryption.key'), 'utf8');
    const pid = Number((await readFile(path.join(dataDir, 'postgres', 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    first.child.kill('SIGTERM');
    expect(await stopped(first.child)).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow(); // the embedded server is gone

    const second = startMain({ PARLEY_DATA_DIR: dataDir });
    const url2 = await second.url;
    expect(second.output()).not.toMatch(/applied database migrations/);
    const signedIn = await gqlOk<{ signIn: { workspace: { name: string } } }>(url2, 'mutation { signIn(email: "kept@example.test", password: "long enough password") { workspace { name } } }');
    expect(signedIn.signIn.workspace.name).toBe('Kept');
    expect(await readFile(path.join(dataDir, 'encryption.key'), 'utf8')).toBe(key);
    second.child.kill('SIGINT');
    expect(await stopped(second.child)).toBe(0);
  });
});
