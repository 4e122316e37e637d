// Socket Mode: Slack pushes Events API payloads over a WebSocket the app
// opened with a URL from apps.connections.open, and the app acknowledges each
// envelope by sending back its envelope_id.
// https://api.slack.com/apis/socket-mode
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { newEnvelopeId, randomToken } from './ids.ts';

export interface SocketModeOptions {
  /** How often the fake pings each connection (ms). Slack's clients drop a connection after ~30 s without a ping. 0 disables pings. */
  pingIntervalMs: number;
  /** After a `disconnect` message Slack closes the socket itself about 10 s later if the client has not. */
  disconnectGraceMs: number;
  /** Default time sendEvent waits for a connection and then for the ack. */
  ackTimeoutMs: number;
}

export interface AckRecord {
  appToken: string;
  envelopeId: string;
  /** The `payload` the client sent with its ack (the SDK sends {} when ack() is called without a response). */
  payload: unknown;
  at: number;
  connectionId: number;
}

export interface ConnectRecord {
  appToken: string;
  connectionId: number;
  at: number;
}

export interface SendEventOptions {
  /** Slack's retry counter for redeliveries (0 on the first delivery). */
  retryAttempt?: number;
  /** Why Slack redelivers, e.g. 'timeout' ('' on the first delivery). */
  retryReason?: string;
  timeoutMs?: number;
}

interface Connection {
  id: number;
  appToken: string;
  ws: WebSocket;
  host: string;
  draining: boolean;
  timers: NodeJS.Timeout[];
}

interface PendingAck {
  resolve: (r: { envelopeId: string; ackedAt: number }) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class SocketModeHub {
  readonly acks: AckRecord[] = [];
  readonly connectLog: ConnectRecord[] = [];
  /** Every non-ack message clients sent (a fake's way to notice unexpected traffic). */
  readonly otherMessages: { appToken: string; data: string; at: number }[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Map<string, { appToken: string; appId: string }>();
  private readonly connections = new Set<Connection>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly changes = new EventEmitter();
  private nextConnectionId = 1;
  private roundRobin = 0;

  constructor(private readonly opts: SocketModeOptions, private readonly wsBaseUrl: () => string) {
    this.changes.setMaxListeners(0);
  }

  /**
   * A URL for one connection. Slack's look like
   * wss://wss-primary.slack.com/link/?ticket=...&app_id=...; each is good for
   * a single connection attempt, so a client must call apps.connections.open
   * again to reconnect. Ours: ws://127.0.0.1:<port>/socket/<ticket>.
   */
  issueUrl(appToken: string, appId: string): string {
    const ticket = randomToken();
    this.tickets.set(ticket, { appToken, appId });
    return `${this.wsBaseUrl()}/socket/${ticket}`;
  }

  /** The HTTP server's 'upgrade' handler. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = /^\/socket\/([0-9a-f]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const ticket = match ? this.tickets.get(match[1]!) : undefined;
    if (!match || !ticket) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.tickets.delete(match[1]!);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ticket.appToken, ticket.appId));
  }

  private accept(ws: WebSocket, appToken: string, appId: string): void {
    const conn: Connection = { id: this.nextConnectionId++, appToken, ws, host: `applink-fake-${randomToken(3)}`, draining: false, timers: [] };
    this.connections.add(conn);
    this.connectLog.push({ appToken, connectionId: conn.id, at: Date.now() });
    ws.on('message', (data, isBinary) => this.onMessage(conn, isBinary ? '' : data.toString()));
    for (const ev of ['close', 'error'] as const) ws.on(ev, () => this.forget(conn));
    // Slack pings every few seconds; @slack/socket-mode reconnects when no
    // ping arrives within serverPingTimeout (30 s). The ws library answers the
    // client's own pings with pongs by itself.
    if (this.opts.pingIntervalMs > 0) {
      conn.timers.push(setInterval(() => ws.readyState === WebSocket.OPEN && ws.ping(), this.opts.pingIntervalMs));
    }
    // The first frame is always `hello`; clients treat the connection as usable only after it.
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connectionCount(appToken),
        debug_info: { host: conn.host, build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    this.changes.emit('change');
  }

  private forget(conn: Connection): void {
    conn.timers.forEach((t) => clearInterval(t));
    if (this.connections.delete(conn)) this.changes.emit('change');
  }

  private onMessage(conn: Connection, data: string): void {
    let msg: { envelope_id?: unknown; payload?: unknown } | undefined;
    try {
      msg = JSON.parse(data) as typeof msg;
    } catch {}
    if (!msg || typeof msg.envelope_id !== 'string') {
      this.otherMessages.push({ appToken: conn.appToken, data, at: Date.now() });
      return;
    }
    const ack: AckRecord = { appToken: conn.appToken, envelopeId: msg.envelope_id, payload: msg.payload, at: Date.now(), connectionId: conn.id };
    this.acks.push(ack);
    const waiting = this.pending.get(ack.envelopeId);
    if (waiting) {
      this.pending.delete(ack.envelopeId);
      clearTimeout(waiting.timer);
      waiting.resolve({ envelopeId: ack.envelopeId, ackedAt: ack.at });
    }
  }

  /** Open connections of an app token, including ones told to disconnect that the client has not closed yet. */
  connectionCount(appToken: string): number {
    return [...this.connections].filter((c) => c.appToken === appToken && c.ws.readyState === WebSocket.OPEN).length;
  }

  private usable(appToken: string): Connection[] {
    return [...this.connections].filter((c) => c.appToken === appToken && !c.draining && c.ws.readyState === WebSocket.OPEN);
  }

  /** Resolves once the app has a connection that can receive events (not one being drained after requestDisconnect). */
  waitForConnection(appToken: string, timeoutMs = this.opts.ackTimeoutMs): Promise<void> {
    return this.waitForUsable(appToken, timeoutMs).then(() => undefined);
  }

  private waitForUsable(appToken: string, timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const conns = this.usable(appToken);
        if (conns.length === 0) return false;
        cleanup();
        resolve(conns[this.roundRobin++ % conns.length]!);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake slack: no Socket Mode connection for ${appToken} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changes.off('change', check);
      };
      if (!check()) this.changes.on('change', check);
    });
  }

  /**
   * Delivers an Events API payload (an event_callback body) in an envelope
   * and resolves when the client acks it. With several connections Slack
   * picks one; here, round-robin. If the app has no usable connection yet the
   * event waits for one (within the timeout). Slack would redeliver an
   * unacked event with retry_attempt + 1; this fake does not: send it again
   * with retryAttempt to test that.
   * https://api.slack.com/apis/socket-mode#acknowledge
   */
  async sendEvent(appToken: string, payload: unknown, opts: SendEventOptions = {}): Promise<{ envelopeId: string; ackedAt: number }> {
    const timeoutMs = opts.timeoutMs ?? this.opts.ackTimeoutMs;
    const started = Date.now();
    const conn = await this.waitForUsable(appToken, timeoutMs);
    const envelopeId = newEnvelopeId();
    const envelope = {
      envelope_id: envelopeId,
      payload,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: opts.retryAttempt ?? 0,
      retry_reason: opts.retryReason ?? '',
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`fake slack: envelope ${envelopeId} was not acked within ${timeoutMs} ms`));
      }, Math.max(1, timeoutMs - (Date.now() - started)));
      this.pending.set(envelopeId, { resolve, reject, timer });
      conn.ws.send(JSON.stringify(envelope));
    });
  }

  /**
   * Sends `{ type: 'disconnect', reason }` to every connection of the app, as
   * Slack does before recycling a server ('warning' ~10 s ahead, then
   * 'refresh_requested'). The official client closes the socket and
   * reconnects through apps.connections.open. New events go to other
   * connections; if the client does not close, the fake does after the grace period.
   * https://api.slack.com/apis/socket-mode#disconnect
   */
  requestDisconnect(appToken: string, reason = 'refresh_requested'): number {
    const conns = this.usable(appToken);
    for (const conn of conns) {
      conn.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: conn.host } }));
      conn.draining = true;
      conn.timers.push(setTimeout(() => conn.ws.close(1000), this.opts.disconnectGraceMs));
    }
    if (conns.length) this.changes.emit('change');
    return conns.length;
  }

  /** Kills the app's sockets without a close frame, like a network loss. Returns how many. */
  dropAll(appToken: string): number {
    const conns = [...this.connections].filter((c) => c.appToken === appToken);
    for (const conn of conns) {
      conn.ws.terminate();
      this.forget(conn);
    }
    return conns.length;
  }

  close(): void {
    for (const conn of [...this.connections]) this.dropAll(conn.appToken);
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(`fake slack: closed before envelope ${id} was acked`));
    }
    this.pending.clear();
    this.wss.close();
  }
}
