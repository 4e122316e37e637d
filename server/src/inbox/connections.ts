// Long-lived provider connections (Slack Socket Mode) run by worker instances.
// Exactly one instance holds each integration's connection: it takes a
// PostgreSQL session advisory lock on a dedicated connection, and the lock
// goes with that connection, so when the holder dies another instance's next
// scan takes over. Scans also start, restart (settings changed) and stop
// (disconnected) connections.
import pg from 'pg';
import { allAdapters } from '../channels/registry.ts';
import type { AdapterContext, Connector, InboundMessage } from '../channels/types.ts';
import type { Integration } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { CredentialStore } from '../security/credentials.ts';

export const SCAN_INTERVAL_MS = 5_000;
/** After a connection could not be opened, later scans wait this long (doubling per failure) before trying again. */
const MAX_START_BACKOFF_MS = 60_000;

interface Held {
  version: string;
  /** The session whose advisory lock covers this connection: when it dies, so does our right to the connection. */
  lock: pg.Client;
  stop(): Promise<void>;
}

export interface ConnectionManagerDeps {
  databaseUrl: string;
  credentials: CredentialStore;
  adapterContext: AdapterContext;
  log: Logger;
  ingest(integration: Integration, messages: InboundMessage[]): Promise<unknown>;
  scanIntervalMs?: number;
}

/**
 * What a running connection depends on: the integration's settings (connect
 * mutations rewrite them, with a fresh connectedAt, whenever credentials
 * change). Status changes (ERROR after a failed send) do not restart it.
 */
function versionOf(integration: Integration): string {
  return JSON.stringify(integration.config);
}

export class ConnectionManager {
  private lockClient: pg.Client | undefined;
  private readonly held = new Map<string, Held>();
  /** Integrations whose connection failed to open: not retried before `retryAt` unless their settings change. */
  private readonly failed = new Map<string, { version: string; count: number; retryAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: ConnectionManagerDeps) {}

  /** Ids of the integrations whose connection this instance holds. */
  get holding(): string[] {
    return [...this.held.keys()];
  }

  start(): void {
    const tick = () => {
      this.scanning = this.scan()
        .catch((err: Error) => this.deps.log.warn({ err: err.message }, 'connection scan failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.deps.scanIntervalMs ?? SCAN_INTERVAL_MS);
        });
    };
    tick();
  }

  private async client(): Promise<pg.Client> {
    if (this.lockClient) return this.lockClient;
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, connectionTimeoutMillis: 5_000, query_timeout: 10_000, keepAlive: true });
    client.on('error', (err) => this.lockLost(client, err.message));
    client.on('end', () => this.lockLost(client, 'the lock connection ended'));
    await client.connect();
    this.lockClient = client;
    return client;
  }

  /** The locks died with their session: another instance may take over, so stop what they covered now. */
  private lockLost(client: pg.Client, reason: string): void {
    if (this.lockClient === client) this.lockClient = undefined;
    const covered = [...this.held].filter(([, h]) => h.lock === client).map(([id]) => id);
    if (covered.length) this.deps.log.warn({ err: reason, integrationIds: covered }, 'connection lock lost; stopping provider connections');
    void client.end().catch(() => undefined);
    for (const id of covered) void this.release(id, false);
  }

  /** Whether the session (and so every advisory lock it took) is still alive. */
  private async alive(client: pg.Client): Promise<boolean> {
    if (this.lockClient !== client) return false;
    try {
      await client.query('SELECT 1');
      return this.lockClient === client;
    } catch (err) {
      this.lockLost(client, (err as Error).message);
      return false;
    }
  }

  private lockKey(integrationId: string): string {
    return `parley:connector:${integrationId}`;
  }

  async scan(): Promise<void> {
    if (this.stopped) return;
    const { adapterContext } = this.deps;
    const connectorOf = new Map<string, Connector>();
    for (const a of allAdapters()) if (a.connector) connectorOf.set(a.provider, a.connector);
    if (connectorOf.size === 0) return;
    const integrations = await adapterContext.prisma.integration.findMany({ where: { provider: { in: [...connectorOf.keys()] as Integration['provider'][] } } });
    const wanted = new Map(integrations.filter((i) => connectorOf.get(i.provider)!.wants(i)).map((i) => [i.id, i]));
    // A session that died without telling us (or a lock taken on a session that has since gone) stops its connections.
    if (this.lockClient) await this.alive(this.lockClient);
    for (const [id, held] of this.held) {
      const integration = wanted.get(id);
      if (held.lock !== this.lockClient) await this.release(id, false);
      else if (!integration || versionOf(integration) !== held.version) await this.release(id);
    }
    for (const id of this.failed.keys()) if (!wanted.has(id)) this.failed.delete(id);
    for (const integration of wanted.values()) {
      if (this.held.has(integration.id) || this.stopped) continue;
      const failure = this.failed.get(integration.id);
      if (failure && failure.version === versionOf(integration) && Date.now() < failure.retryAt) continue;
      const client = await this.client();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [this.lockKey(integration.id)]);
      if (!rows[0]?.locked) continue; // another instance holds it
      try {
        const secrets = await this.deps.credentials.get(integration.id);
        const handle = await connectorOf.get(integration.provider)!.start(integration, secrets, adapterContext, async (messages) => {
          await this.deps.ingest(integration, messages);
        });
        this.failed.delete(integration.id);
        // Opening can take a while: if the lock's session died meanwhile, another instance may hold it now.
        if (!(await this.alive(client))) {
          this.deps.log.warn({ integrationId: integration.id }, 'connection lock lost while connecting; closing that connection');
          await handle.stop().catch(() => undefined);
          continue;
        }
        this.held.set(integration.id, { version: versionOf(integration), lock: client, stop: handle.stop });
      } catch (err) {
        // Changed settings (e.g. a new token) are tried at the next scan; the same ones with a growing delay.
        const count = (failure?.count ?? 0) + 1;
        const delay = Math.min(MAX_START_BACKOFF_MS, (this.deps.scanIntervalMs ?? SCAN_INTERVAL_MS) * 2 ** (count - 1));
        this.failed.set(integration.id, { version: versionOf(integration), count, retryAt: Date.now() + delay });
        this.deps.log.warn({ integrationId: integration.id, err: (err as Error).message, retryInMs: delay }, 'could not open the provider connection');
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey(integration.id)]).catch(() => undefined);
      }
    }
  }

  private async release(id: string, unlock = true): Promise<void> {
    const held = this.held.get(id);
    if (!held) return;
    this.held.delete(id);
    await held.stop().catch(() => undefined);
    if (unlock && held.lock === this.lockClient) await held.lock.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey(id)]).catch(() => undefined);
  }

  private async releaseAll(unlock: boolean): Promise<void> {
    await Promise.all([...this.held.keys()].map((id) => this.release(id, unlock)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
    await this.releaseAll(true);
    await this.lockClient?.end().catch(() => undefined);
    this.lockClient = undefined;
  }
}
