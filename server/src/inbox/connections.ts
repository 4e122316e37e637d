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

interface Held {
  version: number;
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

export class ConnectionManager {
  private lockClient: pg.Client | undefined;
  private readonly held = new Map<string, Held>();
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
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, connectionTimeoutMillis: 5_000 });
    client.on('error', (err) => {
      // The locks died with the connection: another instance may take over, so stop ours now.
      this.deps.log.warn({ err: err.message }, 'connection lock lost; stopping provider connections');
      if (this.lockClient === client) this.lockClient = undefined;
      void this.releaseAll(false);
    });
    await client.connect();
    this.lockClient = client;
    return client;
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
    for (const [id, held] of this.held) {
      const integration = wanted.get(id);
      if (!integration || integration.updatedAt.getTime() !== held.version) await this.release(id);
    }
    for (const integration of wanted.values()) {
      if (this.held.has(integration.id) || this.stopped) continue;
      const client = await this.client();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [this.lockKey(integration.id)]);
      if (!rows[0]?.locked) continue; // another instance holds it
      try {
        const secrets = await this.deps.credentials.get(integration.id);
        const handle = await connectorOf.get(integration.provider)!.start(integration, secrets, adapterContext, async (messages) => {
          await this.deps.ingest(integration, messages);
        });
        this.held.set(integration.id, { version: integration.updatedAt.getTime(), stop: handle.stop });
      } catch (err) {
        this.deps.log.warn({ integrationId: integration.id, err: (err as Error).message }, 'could not open the provider connection');
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey(integration.id)]).catch(() => undefined);
      }
    }
  }

  private async release(id: string, unlock = true): Promise<void> {
    const held = this.held.get(id);
    this.held.delete(id);
    await held?.stop().catch(() => undefined);
    if (unlock) await this.lockClient?.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockKey(id)]).catch(() => undefined);
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
