// pnpm bench webhooks [--providers slack,twilio,sendgrid] [--rate 300] [--seconds 60] [--concurrency 16,64]
//                     [--capacity-seconds 10] [--customers 50] [--email-kb 200] [--profile <dir>] [--pg-stats]
//
// A throwaway embedded PostgreSQL, the fake Slack, Twilio and SendGrid, and a
// real Parley server (a child process, `node --import tsx src/main.ts`, so
// that the load generator does not share its event loop), all on 127.0.0.1.
// Each provider is connected through GraphQL, then, provider by provider:
//  (a) open loop: signed webhooks (Slack message events, Twilio SMS form
//      posts, SendGrid Inbound Parse emails of --email-kb KB) at --rate req/s
//      for --seconds, over keep-alive connections, each a distinct message
//      from one of the customers. Latency counts from when each request was due, so a server
//      that stalls cannot hide the requests queued behind it.
//  (b) closed loop, for each --concurrency: that many senders post as soon as
//      they are answered, for --capacity-seconds; Message rows stored per
//      second. Then, with as many connections, a raw `pg` loop of single-row
//      INSERTs of the same rows into a copy of "Message" (same columns,
//      indexes and foreign keys). The ratio compares the best rates.
// It stops by itself; servers are stopped and the temp folder removed at the
// end, on an error or on Ctrl-C.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type PgModule from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/src/db/embedded.ts';
import { applyMigrations } from '../server/src/db/migrate.ts';
import { startFakeSendGrid } from '../test/fakes/sendgrid/index.ts';
import { startFakeSlack } from '../test/fakes/slack/index.ts';
import { startFakeTwilio } from '../test/fakes/twilio/index.ts';
import { signUp } from '../test/helpers/fixtures.ts';
import { sendgridTarget, slackTarget, twilioTarget, type ProviderName, type Target } from './targets.ts';

// `pg` is a dependency of the server and test packages, not of this folder.
const pg = createRequire(new URL('../test/package.json', import.meta.url))('pg') as typeof PgModule;

const serverDir = new URL('../server/', import.meta.url).pathname;
/** What providers sign: the server is told this is its public address. */
const PUBLIC_URL = 'https://parley-bench.example';
const TARGET_P99_MS = 25;
const TARGET_RATIO = 0.5;

interface Options {
  providers: ProviderName[];
  emailKb: number;
  rate: number;
  seconds: number;
  concurrency: number[];
  capacitySeconds: number;
  customers: number;
  profile: string | undefined;
  pgStats: boolean;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      providers: { type: 'string', default: 'slack,twilio,sendgrid' },
      'email-kb': { type: 'string', default: '200' },
      rate: { type: 'string', default: '300' },
      seconds: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '16,64' },
      'capacity-seconds': { type: 'string', default: '10' },
      customers: { type: 'string', default: '50' },
      // Writes a V8 CPU profile of the server into this folder (open it in Chrome DevTools).
      profile: { type: 'string' },
      // Prints the statements PostgreSQL spent most time on (pg_stat_statements).
      'pg-stats': { type: 'boolean', default: false },
    },
  });
  const num = (name: string, raw: string | undefined, min: number) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min} (got ${raw})`);
    return n;
  };
  const providers = values.providers.split(',').map((p) => p.trim());
  const unknown = providers.filter((p) => !['slack', 'twilio', 'sendgrid'].includes(p));
  if (unknown.length) throw new Error(`--providers takes slack, twilio and sendgrid (got ${unknown.join(', ')})`);
  return {
    providers: providers as ProviderName[],
    emailKb: num('email-kb', values['email-kb'], 1),
    rate: num('rate', values.rate, 1),
    seconds: num('seconds', values.seconds, 1),
    concurrency: values.concurrency.split(',').map((c) => Math.round(num('concurrency', c, 1))),
    capacitySeconds: num('capacity-seconds', values['capacity-seconds'], 1),
    customers: Math.round(num('customers', values.customers, 1)),
    profile: values.profile ? path.resolve(values.profile) : undefined,
    pgStats: values['pg-stats'],
  };
}

/** Undo steps, run once, newest first. */
class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];
  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step().catch((err: Error) => console.error(`cleanup: ${err.message}`));
  }
}

const log = (text: string) => console.error(`  · ${text}`);

async function query<T extends object>(databaseUrl: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- set-up

interface Connected {
  target: Target;
  integrationId: string;
  webhookPath: string;
}

interface Env {
  url: URL;
  databaseUrl: string;
  targets: Connected[];
  agent: http.Agent;
  serverPid: number;
  postmasterPidFile: string;
}

async function startPostgres(dir: string, opts: Options): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedPostgres(dir);
  if (!opts.pgStats) return db;
  await query(db.adminUrl, `ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await db.stop();
  return startEmbeddedPostgres(dir);
}

/** `node --import tsx src/main.ts`; resolves with its URL once it serves. */
async function startServer(env: Record<string, string>, nodeArgs: string[], cleanup: Cleanup): Promise<{ url: string; pid: number }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], { cwd: serverDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  cleanup.add(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /Parley is running at (http:\/\/\S+)/.exec(out);
      if (match) resolve({ url: match[1]!.replace('localhost', '127.0.0.1'), pid: child.pid! });
    });
    child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}):\n${out}`)));
  });
}

async function setUp(opts: Options, cleanup: Cleanup): Promise<Env> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'));
  cleanup.add(() => rm(dir, { recursive: true, force: true }));
  log('starting an embedded PostgreSQL and applying migrations');
  const db = await startPostgres(path.join(dir, 'postgres'), opts);
  cleanup.add(() => db.stop());
  await db.createDatabase('parley');
  const databaseUrl = db.urlFor('parley');
  await applyMigrations(databaseUrl);
  if (opts.pgStats) await query(databaseUrl, 'CREATE EXTENSION pg_stat_statements');

  const fakes = { slack: await startFakeSlack({ pingIntervalMs: 0 }), twilio: await startFakeTwilio(), sendgrid: await startFakeSendGrid() };
  cleanup.add(() => Promise.all([fakes.slack.close(), fakes.twilio.close(), fakes.sendgrid.close()]));
  const makers: Record<ProviderName, () => Target> = {
    slack: () => slackTarget(fakes, opts.customers),
    twilio: () => twilioTarget(fakes, opts.customers, PUBLIC_URL),
    sendgrid: () => sendgridTarget(fakes, opts.customers, PUBLIC_URL, opts.emailKb),
  };
  const targets = opts.providers.map((p) => makers[p]());

  log('starting Parley (node --import tsx src/main.ts)');
  const server = await startServer({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL,
    SLACK_API_URL: fakes.slack.apiUrl,
    TWILIO_API_URL: fakes.twilio.url,
    SENDGRID_API_URL: fakes.sendgrid.url,
    PARLEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PARLEY_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  }, opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [], cleanup);
  const admin = await signUp(server.url, 'Bench');
  const connected: Connected[] = [];
  for (const target of targets) connected.push({ target, ...(await target.connect(server.url, admin.token)) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  cleanup.add(async () => agent.destroy());
  return {
    url: new URL(server.url),
    databaseUrl,
    targets: connected,
    agent,
    serverPid: server.pid,
    postmasterPidFile: path.join(dir, 'postgres', 'pgdata', 'postmaster.pid'),
  };
}

// ---------------------------------------------------------------- load

let seq = 0;

function newRequest(t: Connected, customer = t.target.customers[Math.floor(Math.random() * t.target.customers.length)]!) {
  return t.target.request(customer, ++seq);
}

/** One signed delivery of a new message; resolves with the HTTP status (0: network error). */
function postMessage(env: Env, t: Connected, customer?: string): Promise<number> {
  const { body, headers } = newRequest(t, customer);
  return new Promise((resolve) => {
    const req = http.request(
      { host: env.url.hostname, port: env.url.port, path: t.webhookPath, method: 'POST', headers: { ...headers, 'content-length': String(body.length) }, agent: env.agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Sends at a fixed rate whatever the answers. */
async function openLoop(env: Env, t: Connected, rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const inflight: Promise<void>[] = [];
  let maxLag = 0;
  const start = performance.now();
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (; i < total && start + i * interval <= now; i++) {
        const due = start + i * interval;
        maxLag = Math.max(maxLag, now - due);
        inflight.push(postMessage(env, t).then((status) => {
          latencies.push(performance.now() - due);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }));
      }
      if (i < total) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  return { latencies, statuses, elapsed: (performance.now() - start) / 1000, maxLag };
}

async function countMessages(env: Env, where = ''): Promise<number> {
  return Number((await query<{ n: string }>(env.databaseUrl, `SELECT count(*) AS n FROM "Message" ${where}`))[0]!.n);
}

/** `concurrency` senders, each posting its next message as soon as the previous one is answered. */
async function closedLoop(env: Env, t: Connected, concurrency: number, seconds: number) {
  const where = `WHERE "integrationId" = '${t.integrationId}'`;
  const before = await countMessages(env, where);
  const cpuBefore = await cpuSeconds(env);
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) if ((await postMessage(env, t)) !== 200) errors++;
  }));
  const elapsed = (performance.now() - start) / 1000;
  const cpu = [cpuBefore, await cpuSeconds(env)] as const;
  return { stored: (await countMessages(env, where)) - before, errors, elapsed, cpu };
}

/** The floor: single-row INSERTs of the same rows into a copy of "Message" (columns, indexes, foreign keys), as many connections. */
async function rawInsertLoop(env: Env, t: Connected, concurrency: number, seconds: number) {
  const admin = new pg.Client({ connectionString: env.databaseUrl });
  await admin.connect();
  await admin.query('DROP TABLE IF EXISTS bench_raw_message');
  await admin.query('CREATE TABLE bench_raw_message (LIKE "Message" INCLUDING ALL)');
  const fks = await admin.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = '"Message"'::regclass AND contype = 'f'`);
  for (const { def } of fks.rows) await admin.query(`ALTER TABLE bench_raw_message ADD ${def}`);
  const sample = (await admin.query<{ workspaceId: string; integrationId: string; contactId: string }>(`SELECT "workspaceId", "integrationId", "contactId" FROM "Message" WHERE "contactId" IS NOT NULL AND "integrationId" = $1 LIMIT 1`, [t.integrationId])).rows[0]!;
  const clients = await Promise.all(Array.from({ length: concurrency }, async () => {
    const c = new pg.Client({ connectionString: env.databaseUrl });
    await c.connect();
    return c;
  }));
  const sql = `INSERT INTO bench_raw_message (id, "workspaceId", "integrationId", "contactId", direction, status, channel, body, "providerMessageId", "senderId",
      "conversationKey", "bundleKey", "threadKey", conversation, attachments, raw, "createdAt", "updatedAt")
    VALUES ($1, $2, $3, $4, 'INBOUND', 'RECEIVED', $14::"Channel", $5, $6, $7, $8, $9, $10, $11, '[]', $12, $13, $13)`;
  let stored = 0;
  const cpuBefore = await cpuSeconds(env);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  try {
    await Promise.all(clients.map(async (client) => {
      while (performance.now() < deadline) {
        const { row } = newRequest(t);
        await client.query(sql, [
          randomUUID(), sample.workspaceId, sample.integrationId, sample.contactId, row.body, row.providerMessageId, row.senderId,
          `${sample.integrationId}|${sample.contactId}|${row.bundleKey}`, row.bundleKey, row.threadKey,
          JSON.stringify(row.conversation), JSON.stringify(row.raw), new Date(), row.channel,
        ]);
        stored++;
      }
    }));
    const elapsed = (performance.now() - start) / 1000;
    return { stored, elapsed, cpu: [cpuBefore, await cpuSeconds(env)] as const };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await admin.query('DROP TABLE IF EXISTS bench_raw_message');
    await admin.end();
  }
}

// ---------------------------------------------------------------- measuring

interface CpuSeconds {
  server: number;
  bench: number;
  postgres: Map<string, number>;
}

/** CPU seconds used so far by the server, by each process of our PostgreSQL, and by this process (Linux /proc; zeros elsewhere). */
async function cpuSeconds(env: Env): Promise<CpuSeconds> {
  const read = async (pid: string) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: fields[1] ?? '', cpu: (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100 };
  };
  const postmaster = (await readFile(env.postmasterPidFile, 'utf8').catch(() => '')).split('\n')[0] ?? '';
  const postgres = new Map<string, number>();
  if (postmaster) {
    postgres.set(postmaster, (await read(postmaster)).cpu);
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const p = await read(pid);
      if (p.ppid === postmaster) postgres.set(pid, p.cpu);
    }
  }
  const own = process.cpuUsage();
  return { server: (await read(String(env.serverPid))).cpu, bench: (own.user + own.system) / 1e6, postgres };
}

/** CPU ms per message of the server, PostgreSQL (backends come and go: each counted from its own start) and the load generator. */
function cpuPerMessage([before, after]: readonly [CpuSeconds, CpuSeconds], messages: number): string {
  let postgres = 0;
  for (const [pid, cpu] of after.postgres) postgres += cpu - (before.postgres.get(pid) ?? 0);
  const per = (seconds: number) => ((seconds * 1000) / Math.max(1, messages)).toFixed(2);
  return `server ${per(after.server - before.server)}, postgres ${per(postgres)}, load generator ${per(after.bench - before.bench)}`;
}

function percentile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
}

async function printPgStats(env: Env): Promise<void> {
  const rows = await query<{ calls: string; total: number; plan: number; text: string }>(env.databaseUrl,
    `SELECT calls, round(total_exec_time::numeric)::float AS total, round(total_plan_time::numeric)::float AS plan, regexp_replace(query, '\\s+', ' ', 'g') AS text
       FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 12`);
  console.log('PostgreSQL statements by time (ms exec, ms plan, calls):');
  for (const r of rows) console.log(`  ${String(r.total).padStart(7)} ${String(r.plan).padStart(6)} ${String(r.calls).padStart(7)}  ${r.text.slice(0, 140)}`);
}

// ---------------------------------------------------------------- the run

/** (a) and (b) for one provider. */
async function runTarget(env: Env, t: Connected, opts: Options): Promise<void> {
  const { target } = t;
  log(`${target.name}: warming up: every customer once, then 5 s at ${opts.rate} req/s`);
  for (const customer of target.customers) await postMessage(env, t, customer);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    if ((await countMessages(env, `WHERE "contactId" IS NOT NULL AND "integrationId" = '${t.integrationId}'`)) >= target.customers.length) break;
  }
  await openLoop(env, t, opts.rate, 5);

  log(`${target.name}: (a) ${opts.rate} req/s for ${opts.seconds} s`);
  const cpuBefore = await cpuSeconds(env);
  const a = await openLoop(env, t, opts.rate, opts.seconds);
  const cpuA = [cpuBefore, await cpuSeconds(env)] as const;
  const sorted = [...a.latencies].sort((x, y) => x - y);
  const errors = a.latencies.length - (a.statuses.get(200) ?? 0);
  const p99 = percentile(sorted, 0.99);
  const other = [...a.statuses].filter(([s]) => s !== 200).map(([s, n]) => `${s === 0 ? 'network' : s}: ${n}`).join(', ');
  const ms = (q: number) => percentile(sorted, q).toFixed(1);
  console.log([
    '',
    `${target.name.toUpperCase()}: ${target.describe}`,
    `(a) open loop: ${opts.rate} req/s for ${opts.seconds} s, ${target.customers.length} customers`,
    `    sent ${a.latencies.length} in ${a.elapsed.toFixed(1)} s, 200 OK ${a.statuses.get(200) ?? 0}, errors ${errors}${other ? ` (${other})` : ''}`,
    `    acknowledgement latency ms: p50 ${ms(0.5)}  p90 ${ms(0.9)}  p99 ${ms(0.99)}  max ${ms(1)}`,
    `    CPU ms per request: ${cpuPerMessage(cpuA, a.latencies.length)}; load generator late by up to ${a.maxLag.toFixed(1)} ms`,
    `    target p99 <= ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS && errors === 0 ? 'met' : 'MISSED'}`,
    `(b) closed loop, ${opts.capacitySeconds} s per run: stored messages/s, and raw pg single-row INSERTs/s of the same rows into a copy of "Message" with as many connections`,
  ].join('\n'));
  let bestParley = 0;
  let bestRaw = 0;
  for (const concurrency of opts.concurrency) {
    log(`${target.name}: (b) ${concurrency} senders, then ${concurrency} raw pg connections`);
    const b = await closedLoop(env, t, concurrency, opts.capacitySeconds);
    const raw = await rawInsertLoop(env, t, concurrency, opts.capacitySeconds);
    const parleyRate = b.stored / b.elapsed;
    const rawRate = raw.stored / raw.elapsed;
    bestParley = Math.max(bestParley, parleyRate);
    bestRaw = Math.max(bestRaw, rawRate);
    console.log([
      `    ${String(concurrency).padStart(3)} senders: Parley ${parleyRate.toFixed(0).padStart(5)}/s (${b.errors} errors), raw pg ${rawRate.toFixed(0).padStart(5)}/s, ratio ${(parleyRate / rawRate).toFixed(2)}`,
      `         CPU ms per message: Parley: ${cpuPerMessage(b.cpu, b.stored)}; raw: ${cpuPerMessage(raw.cpu, raw.stored)}`,
    ].join('\n'));
  }
  const ratio = bestParley / bestRaw;
  console.log(`    best Parley ${bestParley.toFixed(0)}/s, best raw pg ${bestRaw.toFixed(0)}/s: ratio ${ratio.toFixed(2)}; target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`);
}

export async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  const cleanup = new Cleanup();
  const interrupted = () => {
    console.error('\ninterrupted: cleaning up');
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const env = await setUp(opts, cleanup);
    console.log(`\nParley webhook benchmark: signed provider webhooks over loopback, keep-alive (node ${process.version}, ${os.cpus().length} CPUs, embedded PostgreSQL)`);
    for (const t of env.targets) await runTarget(env, t, opts);
    if (opts.pgStats) await printPgStats(env);
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    log('cleaning up');
    await cleanup.run();
  }
}
