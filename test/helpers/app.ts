// Starts a real Parley instance (HTTP, graphql-ws, pg-boss, event hub) on a
// random port against the given database, with its logs captured in memory.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { freePort } from '../../server/src/db/embedded.ts';
import { createLogger } from '../../server/src/logger.ts';
import { parseKeyRing } from '../../server/src/security/keyring.ts';
import { createTestDatabase } from './db.ts';

export interface TestApp {
  app: App;
  url: string;
  wsUrl: string;
  databaseUrl: string;
  /** Every log line this instance wrote, as JSON text. */
  logs: string[];
  stop(): Promise<void>;
}

export const TEST_KEY = randomBytes(32).toString('base64');

export async function startTestApp(opts: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase());
  // A known port up front, so PUBLIC_URL (and the webhook URLs built from it) is the real address.
  const config = loadConfig({
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    PARLEY_ENCRYPTION_KEY: TEST_KEY,
    LOG_LEVEL: 'debug',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...opts.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  const log = createLogger(config.logLevel, sink);
  const app = await buildApp({ config, databaseUrl, keyRing: parseKeyRing(TEST_KEY), log });
  const { url } = await app.start();
  let stopped = false;
  return {
    app,
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/graphql',
    databaseUrl,
    logs,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
    },
  };
}
