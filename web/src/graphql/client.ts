import { Client, fetchExchange, mapExchange, subscriptionExchange } from '@urql/vue';
import { createClient as createWsClient } from 'graphql-ws';
import { readonly, ref, shallowRef, watch, type ShallowRef } from 'vue';
import { currentToken, dropSession, sessionToken } from '../composables/useSession';
import { createCacheExchange } from './cache';
import { hasErrorCode } from './errors';

/** State of the WebSocket that carries subscriptions. `idle` until something subscribes (the socket is lazy). */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

const state = ref<ConnectionState>('idle');
export const connectionState = readonly(state);

const MAX_RETRY_DELAY_MS = 30_000;

// Exponential backoff with jitter, so a restarted server is not hit by every tab at once.
function waitBeforeRetry(retries: number): Promise<void> {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** retries);
  const delay = ceiling / 2 + Math.random() * (ceiling / 2);
  return new Promise((resolve) => setTimeout(resolve, delay));
}

function authorization(): string | undefined {
  const token = currentToken();
  return token ? `Bearer ${token}` : undefined;
}

function webSocketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/graphql`;
}

function closeCode(event: unknown): number | undefined {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number' ? event.code : undefined;
}

// graphql-ws servers close with 4401/4403 when connection_init carries no valid token.
const REJECTED_TOKEN_CODES = new Set([4401, 4403]);

interface SessionClient {
  urql: Client;
  close(): void;
}

function createSessionClient(): SessionClient {
  // Cleared when the session ends, so a late event or error from this client cannot touch the next session.
  let current = true;
  const setState = (next: ConnectionState) => {
    if (current) state.value = next;
  };

  const ws = createWsClient({
    url: webSocketUrl,
    lazy: true,
    connectionParams: () => {
      const value = authorization();
      return value ? { authorization: value } : {};
    },
    retryAttempts: Infinity,
    // Browsers report a failed socket as an error event before the close event; retry those too.
    shouldRetry: () => true,
    retryWait: waitBeforeRetry,
    on: {
      connecting: (isRetry) => setState(isRetry ? 'reconnecting' : 'connecting'),
      connected: () => setState('connected'),
      closed: (event) => {
        const code = closeCode(event);
        if (code !== undefined && REJECTED_TOKEN_CODES.has(code) && current) dropSession();
        // 1000 is graphql-ws closing an unused lazy socket; anything else is a drop it will retry.
        setState(code === 1000 ? 'idle' : 'reconnecting');
      },
    },
  });

  const urql = new Client({
    url: '/graphql',
    // The API documents POST; GET would also put queries in proxy logs.
    preferGetMethod: false,
    fetchOptions: () => {
      const value = authorization();
      return value ? { headers: { authorization: value } } : {};
    },
    exchanges: [
      mapExchange({
        onError(error) {
          if (current && hasErrorCode(error, 'UNAUTHENTICATED')) dropSession();
        },
      }),
      // Normalized: live events and mutation results update every view of an entity (see cache.ts).
      createCacheExchange(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });

  return {
    urql,
    close() {
      current = false;
      // Disposing while a connection attempt is failing rejects with that failure, which no longer matters.
      Promise.resolve(ws.dispose()).catch(() => {});
    },
  };
}

/**
 * The urql client for whoever is signed in. Each session gets a fresh client, so no cached
 * data or open socket (authenticated at connect time) outlives the session it belongs to.
 */
export function createApiClient(): ShallowRef<Client> {
  let session = createSessionClient();
  const client = shallowRef(session.urql);
  watch(
    sessionToken,
    () => {
      session.close();
      state.value = 'idle';
      session = createSessionClient();
      client.value = session.urql;
    },
    // Swap before anything renders or queries for the new session.
    { flush: 'sync' },
  );
  return client;
}
