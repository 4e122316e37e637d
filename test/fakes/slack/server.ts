// startFakeSlack(): one HTTP server on 127.0.0.1 (random port) serving the
// Web API at /api/ and Socket Mode WebSockets at /socket/<ticket>.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from './http.ts';
import { SocketModeHub, type AckRecord, type ConnectRecord, type SendEventOptions } from './socket-mode.ts';
import {
  SlackState,
  type Channel,
  type ChannelSpec,
  type Failure,
  type PostedMessage,
  type RecordedCall,
  type User,
  type UserSpec,
  type Workspace,
  type WorkspaceSpec,
} from './state.ts';

export interface FakeSlackOptions {
  /** Interval of the WebSocket pings the fake sends (default 5000 ms; 0 = none). */
  pingIntervalMs?: number;
  /** How long after a `disconnect` message the fake closes a socket the client kept open (default 10 000 ms). */
  disconnectGraceMs?: number;
  /** Default timeout of socket.sendEvent and socket.waitForConnection (default 5000 ms). */
  ackTimeoutMs?: number;
}

export interface FakeSocketMode {
  /** Open WebSocket connections of this app token (including ones told to disconnect and not yet closed). */
  connectionCount(appToken: string): number;
  /** Resolves when the app has a connection able to receive events (default timeout: ackTimeoutMs). */
  waitForConnection(appToken: string, timeoutMs?: number): Promise<void>;
  /** Delivers an event_callback body in an events_api envelope; resolves when the client acks it. */
  sendEvent(appToken: string, payload: unknown, opts?: SendEventOptions): Promise<{ envelopeId: string; ackedAt: number }>;
  /** Sends `{ type: 'disconnect', reason }` to the app's connections; returns how many. */
  requestDisconnect(appToken: string, reason?: string): number;
  /** Terminates the app's sockets abruptly (no close frame); returns how many. */
  dropAll(appToken: string): number;
  /** Every ack received, in order. */
  readonly acks: AckRecord[];
  /** Every connection accepted, in order (a reconnect adds one). */
  readonly connectLog: ConnectRecord[];
  /** Non-ack messages clients sent. */
  readonly otherMessages: { appToken: string; data: string; at: number }[];
}

export interface FakeSlack {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** http://127.0.0.1:<port>/api/ — pass as WebClient's slackApiUrl. */
  readonly apiUrl: string;
  readonly port: number;
  /** Every Web API request, in arrival order. */
  readonly calls: RecordedCall[];
  /** Messages accepted by chat.postMessage, in order. */
  readonly posted: PostedMessage[];
  readonly socket: FakeSocketMode;
  addWorkspace(spec: WorkspaceSpec): Workspace;
  addUser(teamId: string, spec: UserSpec): User;
  addChannel(teamId: string, spec: ChannelSpec): Channel;
  /** Later calls with the token fail with `error` (default invalid_auth; real Slack says token_revoked). */
  revokeToken(token: string, error?: string): void;
  /** The next `times` calls of `method` fail this way (queued after earlier failNext calls). */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Slows every later call of `method` by `ms` (0 removes the delay). */
  delay(method: string, ms: number): void;
  /** The recorded calls of one method. */
  callsTo(method: string): RecordedCall[];
  /** Stops the server, closing every HTTP and WebSocket connection. */
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const state = new SlackState();
  let port = 0;
  const hub = new SocketModeHub(
    {
      pingIntervalMs: options.pingIntervalMs ?? 5000,
      disconnectGraceMs: options.disconnectGraceMs ?? 10_000,
      ackTimeoutMs: options.ackTimeoutMs ?? 5000,
    },
    () => `ws://127.0.0.1:${port}`,
  );
  const openSocketUrl = (appToken: string, appId: string) => hub.issueUrl(appToken, appId);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/') && (req.method === 'POST' || req.method === 'GET')) {
      handleApiRequest({ state, openSocketUrl }, req, res, url).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake slack error: ${String(err)}`);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    port,
    calls: state.calls,
    posted: state.posted,
    socket: {
      connectionCount: (appToken) => hub.connectionCount(appToken),
      waitForConnection: (appToken, timeoutMs) => hub.waitForConnection(appToken, timeoutMs),
      sendEvent: (appToken, payload, opts) => hub.sendEvent(appToken, payload, opts),
      requestDisconnect: (appToken, reason) => hub.requestDisconnect(appToken, reason),
      dropAll: (appToken) => hub.dropAll(appToken),
      acks: hub.acks,
      connectLog: hub.connectLog,
      otherMessages: hub.otherMessages,
    },
    addWorkspace: (spec) => state.addWorkspace(spec),
    addUser: (teamId, spec) => state.addUser(teamId, spec),
    addChannel: (teamId, spec) => state.addChannel(teamId, spec),
    revokeToken: (token, error) => state.revokeToken(token, error),
    failNext: (method, failure, times) => state.failNext(method, failure, times),
    delay: (method, ms) => state.delay(method, ms),
    callsTo: (method) => state.calls.filter((c) => c.method === method),
    close: async () => {
      hub.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
