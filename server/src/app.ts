// buildApp() wires one Parley instance: HTTP (GraphQL, webhooks, web inbox,
// health, metrics), graphql-ws, the cross-instance event hub and pg-boss.
// It returns { start, stop } so tests can run several instances in one process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DefinitionNode } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { authenticate, bearerToken } from './auth/viewer.ts';
import type { Config } from './config.ts';
import { createPrisma, type PrismaClient } from './db.ts';
import type { Context, Services } from './graphql/context.ts';
import { EventHub } from './graphql/events.ts';
import { schema } from './graphql/schema.ts';
import { serveGraphqlWs } from './http/graphql-ws.ts';
import { staticFiles } from './http/static-files.ts';
import { handleWebhook } from './http/webhooks.ts';
import { ConnectionManager } from './inbox/connections.ts';
import { Inbox } from './inbox/inbox.ts';
import { registerMaintenance } from './jobs/maintenance.ts';
import { startQueue, type Queue } from './jobs/queue.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { webDistDir } from './paths.ts';
import { CredentialStore } from './security/credentials.ts';
import type { KeyRing } from './security/keyring.ts';
import { FileUrlSigner } from './security/signed-urls.ts';
import { serveFile } from './http/files.ts';

/** GraphQL requests larger than this are refused (413) before they are read. */
const MAX_GRAPHQL_BODY = 1024 * 1024;
const HEALTH_TIMEOUT_MS = 2_000;

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  keyRing: KeyRing;
  log: Logger;
  webRoot?: string;
}

export interface App {
  services: Services;
  metrics: Metrics;
  events: EventHub;
  queue: Queue;
  inbox: Inbox;
  connections: ConnectionManager | undefined;
  /** Starts listening; resolves with the bound URL. */
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Groups paths for metrics labels, so ids in URLs do not explode cardinality. */
function routeGroup(pathname: string): string {
  if (pathname === '/graphql') return '/graphql';
  if (pathname.startsWith('/webhooks/')) return `/webhooks/${pathname.split('/')[2] ?? ''}`;
  if (pathname === '/healthz' || pathname === '/metrics') return pathname;
  if (pathname.startsWith('/files/')) return '/files';
  return 'web';
}

/** Counts and times GraphQL operations by type and name. */
function graphqlMetrics(metrics: Metrics): Plugin {
  return {
    onExecute({ args }) {
      const op = args.document.definitions.find((d: DefinitionNode) => d.kind === 'OperationDefinition');
      const type = op && 'operation' in op ? op.operation : 'unknown';
      const name = (op && 'name' in op && op.name?.value) || 'anonymous';
      const end = metrics.graphqlDuration.startTimer({ type });
      return {
        onExecuteDone({ result }) {
          end();
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          metrics.graphqlOperations.inc({ type, name, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const { config, log } = opts;
  const role = config.role;
  const serveHttp = role !== 'worker';
  const runWorkers = role !== 'web';
  const prisma: PrismaClient = createPrisma(opts.databaseUrl);
  const metrics = createMetrics();
  const events = new EventHub(opts.databaseUrl, log, metrics.events);
  const credentials = new CredentialStore(prisma, opts.keyRing);
  const queue: Queue = await startQueue({ databaseUrl: opts.databaseUrl, log, metrics, runWorkers });
  const inbox = new Inbox({ config, databaseUrl: opts.databaseUrl, prisma, queue, credentials, log });
  const fileUrls = new FileUrlSigner(opts.keyRing);
  const services: Services = { config, prisma, log, events, credentials, inbox, fileUrls };
  const connections = runWorkers
    ? new ConnectionManager({ databaseUrl: opts.databaseUrl, credentials, adapterContext: inbox.adapterContext, log, ingest: (i, m) => inbox.ingest(i, m) })
    : undefined;
  let draining = false;

  const clientIp = (req: IncomingMessage): string => {
    if (config.trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
      if (first) return first;
    }
    return req.socket.remoteAddress ?? 'unknown';
  };

  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Parley GraphQL', subscriptionsProtocol: 'WS' },
    maskedErrors: true,
    logging: {
      debug: (...args) => log.debug({ args: args.map(String) }, 'yoga'),
      info: (...args) => log.info({ args: args.map(String) }, 'yoga'),
      warn: (...args) => log.warn({ args: args.map(String) }, 'yoga'),
      error: (...args) => log.error({ args: args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))) }, 'graphql error'),
    },
    context: async ({ request, req }) => {
      const token = bearerToken(request.headers.get('authorization'));
      const viewer = await authenticate(prisma, token);
      return { ...services, viewer, token, clientIp: clientIp(req) };
    },
    plugins: [graphqlMetrics(metrics)],
  });

  const serveWeb = staticFiles(opts.webRoot ?? webDistDir);

  async function health(): Promise<{ ok: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    const probe = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await withTimeout(fn(), HEALTH_TIMEOUT_MS, name);
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = (err as Error).message.split('\n')[0] ?? 'failed';
      }
    };
    await Promise.all([
      probe('database', () => prisma.$queryRaw`SELECT 1`),
      probe('queue', () => queue.boss.getQueues()),
    ]);
    if (draining) checks.server = 'shutting down';
    return { ok: !draining && Object.values(checks).every((c) => c === 'ok'), checks };
  }

  async function route(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (pathname === '/healthz') {
      const h = await health();
      if (!h.ok) log.warn({ checks: h.checks }, 'health check failed');
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ status: h.ok ? 'ok' : 'unavailable', ...h.checks }));
      return;
    }
    if (pathname === '/metrics') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
      return;
    }
    if (pathname === '/graphql' || pathname.startsWith('/graphql/')) {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > MAX_GRAPHQL_BODY) {
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: `Request body is larger than ${MAX_GRAPHQL_BODY} bytes.` }] }));
        return;
      }
      await yoga.handle(req, res, { req, res });
      return;
    }
    if (pathname === '/webhooks' || pathname.startsWith('/webhooks/')) {
      if (draining) {
        // Providers retry on 503; another instance will take it.
        res.writeHead(503, { 'retry-after': '5', 'content-type': 'text/plain' }).end('Shutting down, retry shortly.');
        return;
      }
      await handleWebhook({ config, prisma, credentials, log, inbox: () => inbox }, req, res, pathname);
      return;
    }
    if (pathname.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD')) {
      await serveFile({ prisma, signer: fileUrls }, req, res, pathname);
      return;
    }
    await serveWeb(req, res, pathname);
  }

  const server: Server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    let pathname = '/';
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      /* keep "/" */
    }
    const group = routeGroup(pathname);
    res.on('finish', () => {
      metrics.httpRequests.inc({ route: group, method: req.method ?? 'GET', status: String(res.statusCode) });
      metrics.httpDuration.observe({ route: group }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    route(req, res, pathname).catch((err: Error) => {
      log.error({ err: err.stack ?? err.message, path: pathname }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });
  server.keepAliveTimeout = 65_000;
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_GRAPHQL_BODY });
  const wsServer = serveGraphqlWs(wss, schema, services, clientIp);

  return {
    services,
    metrics,
    events,
    queue,
    inbox,
    connections,
    async start() {
      await events.start();
      await registerMaintenance(queue, prisma, log, runWorkers);
      await inbox.registerJobs(queue);
      connections?.start();
      if (!serveHttp) {
        log.info({ role }, 'worker started');
        return { url: '', port: 0 };
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      const port = (server.address() as AddressInfo).port;
      const url = `http://localhost:${port}`;
      log.info({ url, role }, 'listening');
      return { url, port };
    },
    async stop() {
      draining = true;
      const timeout = config.shutdownTimeoutMs;
      // Stop taking connections; tell socket clients to reconnect elsewhere.
      const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      server.closeIdleConnections();
      for (const socket of wss.clients) socket.close(1001, 'Server shutting down');
      await Promise.resolve(wsServer.dispose()).catch(() => undefined);
      await connections?.stop();
      // Let in-flight jobs finish.
      await queue.stop(timeout).catch((err: Error) => log.warn({ err: err.message }, 'job queue did not stop cleanly'));
      const forced = setTimeout(() => server.closeAllConnections(), timeout);
      await closed;
      clearTimeout(forced);
      await events.stop();
      await inbox.close();
      await prisma.$disconnect();
      log.info('stopped');
    },
  };
}
