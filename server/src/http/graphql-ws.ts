// GraphQL over WebSocket (graphql-ws protocol) on /graphql. The token comes in
// connectionParams.authorization and is checked when the socket connects: an
// invalid one closes the socket with 4403 before any subscription starts. It is
// checked again when a subscription starts and before events are sent, so a
// signed-out session or a revoked API key stops receiving within seconds.
import type { IncomingMessage } from 'node:http';
import { execute, subscribe, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { authenticate, bearerToken, type Viewer } from '../auth/viewer.ts';
import type { Context, Services } from '../graphql/context.ts';

/** How long a successful re-check of a socket's token is trusted. */
const RECHECK_MS = 2_000;

const SESSION_ENDED = { message: 'The session ended or the API key was revoked: sign in again.', extensions: { code: 'UNAUTHENTICATED' } };

interface SocketAuth {
  viewer: Viewer;
  token: string;
  checkedAt: number;
}

export function serveGraphqlWs(wss: WebSocketServer, schema: GraphQLSchema, services: Services, clientIp: (req: IncomingMessage) => string) {
  const sockets = new WeakMap<WebSocket, SocketAuth>();

  /** True while the socket's token is still valid; otherwise closes the socket with 4403. */
  async function stillValid(socket: WebSocket, force = false): Promise<boolean> {
    const auth = sockets.get(socket);
    if (!auth) return false;
    if (!force && Date.now() - auth.checkedAt < RECHECK_MS) return true;
    const viewer = await authenticate(services.prisma, auth.token).catch(() => undefined);
    if (viewer === undefined) return true; // database hiccup: keep the socket, check again next time
    if (!viewer || viewer.workspaceId !== auth.viewer.workspaceId) {
      sockets.delete(socket);
      // After the current message (if any) has been replaced and sent.
      setImmediate(() => socket.close(CloseCode.Forbidden, 'Forbidden: the session ended or the API key was revoked'));
      return false;
    }
    sockets.set(socket, { viewer, token: auth.token, checkedAt: Date.now() });
    return true;
  }

  return useServer<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>(
    {
      schema,
      execute,
      subscribe,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const token = bearerToken(typeof raw === 'string' ? raw : undefined);
        const viewer = await authenticate(services.prisma, token).catch(() => null);
        if (!viewer || !token) {
          services.log.info({ ip: clientIp(ctx.extra.request) }, 'websocket rejected: missing or invalid token');
          return false;
        }
        sockets.set(ctx.extra.socket, { viewer, token, checkedAt: Date.now() });
        return true;
      },
      onSubscribe: async (ctx) => {
        // Returning nothing lets the operation run; a closed socket ends it.
        await stillValid(ctx.extra.socket, true);
      },
      // An event for a viewer who is no longer signed in is replaced by an error, never sent.
      onNext: async (ctx) => ((await stillValid(ctx.extra.socket)) ? undefined : { errors: [SESSION_ENDED] }),
      context: (ctx): Context => {
        const auth = sockets.get(ctx.extra.socket);
        return { ...services, viewer: auth?.viewer ?? null, token: auth?.token, clientIp: clientIp(ctx.extra.request) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        services.log.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wss,
  );
}
