// Live events across instances. A change is announced with pg_notify; inside a
// transaction PostgreSQL delivers the notification only when it commits, so a
// subscriber never sees a row that was rolled back. Every instance LISTENs on
// one dedicated connection and fans events out to its own subscribers, each of
// which only ever receives events of its own workspace.
import pg from 'pg';
import type { Logger } from '../logger.ts';

export const EVENTS_CHANNEL = 'parley_events';

export type EventName = 'taskCreated' | 'taskUpdated' | 'messageUpdated';

export interface ParleyEvent {
  name: EventName;
  workspaceId: string;
  /** The task or message id. */
  id: string;
  /** For messageUpdated: the message's task, so subscribers can filter by it. */
  taskId?: string | null;
}

/** Anything that can run SQL: the Prisma client or a transaction client. */
export interface SqlRunner {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** Announces an event; call it with the transaction client to publish on commit. */
export async function publish(db: SqlRunner, event: ParleyEvent): Promise<void> {
  await db.$executeRawUnsafe('SELECT pg_notify($1, $2)', EVENTS_CHANNEL, JSON.stringify(event));
}

type Listener = (event: ParleyEvent) => void;

export interface EventStreamMetrics {
  onSubscribe(name: EventName): void;
  onUnsubscribe(name: EventName): void;
  onDeliver(name: EventName): void;
}

export class EventHub {
  private client: pg.Client | undefined;
  private readonly listeners = new Set<{ name: EventName; workspaceId: string; fn: Listener }>();
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
    private readonly metrics?: EventStreamMetrics,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5_000 });
    client.on('notification', (msg) => this.dispatch(msg.payload));
    client.on('error', (err) => {
      this.log.warn({ err: err.message }, 'event listener connection lost; reconnecting');
      this.reconnectSoon(client);
    });
    client.on('end', () => this.reconnectSoon(client));
    await client.connect();
    try {
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    // stop() ran while this (re)connect was in flight: do not keep the connection open.
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private reconnectSoon(dead: pg.Client, delayMs = 500): void {
    if (this.stopped || this.client !== dead) return;
    this.client = undefined;
    dead.removeAllListeners('end');
    dead.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.connect().catch((err: Error) => {
        this.log.warn({ err: err.message }, 'event listener could not reconnect yet');
        const placeholder = new pg.Client();
        this.client = placeholder;
        this.reconnectSoon(placeholder, Math.min(delayMs * 2, 10_000));
      });
    }, delayMs);
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
    let event: ParleyEvent;
    try {
      event = JSON.parse(payload) as ParleyEvent;
    } catch {
      this.log.warn('ignored a malformed event notification');
      return;
    }
    for (const l of this.listeners) {
      if (l.name === event.name && l.workspaceId === event.workspaceId) {
        this.metrics?.onDeliver(event.name);
        l.fn(event);
      }
    }
  }

  /** Number of live subscriptions on this instance (tests wait on it). */
  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** An async iterator of one workspace's events of one kind; ends when the consumer returns. */
  subscribe(name: EventName, workspaceId: string, filter: (e: ParleyEvent) => boolean = () => true): AsyncIterableIterator<ParleyEvent> {
    const queue: ParleyEvent[] = [];
    let wake: ((r: IteratorResult<ParleyEvent>) => void) | undefined;
    let done = false;
    const entry = {
      name,
      workspaceId,
      fn: (e: ParleyEvent) => {
        if (!filter(e)) return;
        if (wake) {
          const w = wake;
          wake = undefined;
          w({ value: e, done: false });
        } else queue.push(e);
      },
    };
    this.listeners.add(entry);
    this.metrics?.onSubscribe(name);
    const finish = (): IteratorResult<ParleyEvent> => {
      if (!done) {
        done = true;
        this.listeners.delete(entry);
        this.metrics?.onUnsubscribe(name);
        wake?.({ value: undefined, done: true });
        wake = undefined;
      }
      return { value: undefined, done: true };
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        const next = queue.shift();
        if (next) return Promise.resolve({ value: next, done: false });
        return new Promise((resolve) => (wake = resolve));
      },
      return: () => Promise.resolve(finish()),
      throw: (err?: unknown) => {
        finish();
        return Promise.reject(err);
      },
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    for (const l of [...this.listeners]) this.listeners.delete(l);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}
