// GraphQL over WebSocket (graphql-ws protocol) on /graphql. The token comes in
// connectionParams.authorization and is checked when the socket connects: an
// invalid one closes the socket with 4403 before any subscription starts.
import type { IncomingMessage } from 'node:http';
import { execute, subscribe, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { authenticate, bearerToken, type Viewer } from '../auth/viewer.ts';
import type { Context, Services } from '../graphql/context.ts';

export function serveGraphqlWs(wss: WebSocketServer, schema: GraphQLSchema, services: Services, clientIp: (req: IncomingMessage) => string) {
  const viewers = new WeakMap<WebSocket, { viewer: Viewer; token: string }>();
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
        viewers.set(ctx.extra.socket, { viewer, token });
        return true;
      },
      context: (ctx): Context => {
        const auth = viewers.get(ctx.extra.socket);
        return { ...services, viewer: auth?.viewer ?? null, token: auth?.token, clientIp: clientIp(ctx.extra.request) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        services.log.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wss,
  );
}
