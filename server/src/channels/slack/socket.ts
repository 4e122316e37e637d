// Socket Mode (https://api.slack.com/apis/socket-mode) with the official
// client: Slack pushes events over a WebSocket instead of HTTP. Each envelope
// is acknowledged as soon as its message is committed (a few ms), so an event
// is never acknowledged and then lost: unacknowledged ones are redelivered by
// Slack.
//
// Reconnecting is ours, not the SDK's: its auto-reconnect rejects a promise
// nobody handles when apps.connections.open fails during a reconnect (a
// revoked token, a 5xx, a network error), which crashes the process and
// leaves the connection dead. Here every connection (first or re-) is a fresh
// client; when one closes (a `disconnect` message, network loss, missed
// pings) the next is opened with a capped backoff, and a rejected app-level
// token marks the integration ERROR.
import { LogLevel, SocketModeClient, type Logger as SlackLogger } from '@slack/socket-mode';
import type { Logger } from '../../logger.ts';
import type { Connector } from '../types.ts';
import { isBrokenIntegrationCode, slackErrorCode } from './client.ts';
import { eventToMessages, parseEnvelope } from './inbound.ts';

/** Longest wait for apps.connections.open plus Slack's hello. */
const CONNECT_TIMEOUT_MS = 30_000;
const DISCONNECT_TIMEOUT_MS = 5_000;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/** The SDK's log lines, into ours (its errors about a closed socket are expected and only warnings here). */
function sdkLogger(log: Logger, integrationId: string): SlackLogger {
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => log.trace({ integrationId }, `socket mode sdk: ${text(msg)}`),
    info: (...msg: unknown[]) => log.debug({ integrationId }, `socket mode sdk: ${text(msg)}`),
    warn: (...msg: unknown[]) => log.warn({ integrationId }, `socket mode sdk: ${text(msg)}`),
    error: (...msg: unknown[]) => log.warn({ integrationId }, `socket mode sdk: ${text(msg)}`),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const slackConnector: Connector = {
  wants(integration) {
    return integration.status !== 'DISCONNECTED' && (integration.config as { mode?: string } | null)?.mode === 'socket';
  },

  async start(integration, secrets, ctx, deliver) {
    const log = ctx.log;
    const integrationId = integration.id;
    const logger = sdkLogger(log, integrationId);
    let stopped = false;
    let current: SocketModeClient | undefined;
    let connecting: Promise<void> | undefined;
    let retryTimer: NodeJS.Timeout | undefined;
    let failures = 0;
    let markedError = integration.status === 'ERROR' ? integration.lastError : null;

    // Every envelope arrives as `slack_event` (the client 3.x emits Events API payloads under their inner
    // event type, never as `events_api`); other envelope types are acknowledged and ignored.
    const onEnvelope = async ({ ack, type, body, retry_num }: { ack: () => Promise<void>; type: string; body: unknown; retry_num?: number }) => {
      if (type !== 'events_api') {
        await ack().catch(() => undefined);
        return;
      }
      try {
        const envelope = parseEnvelope(body);
        if (!envelope) {
          log.warn({ integrationId }, 'socket mode: ignored a payload that is not an Events API body');
          await ack();
          return;
        }
        const result = await eventToMessages(envelope, integration, ctx);
        if (result.messages?.length) await deliver(result.messages);
        else log.debug({ integrationId, dropped: result.dropped }, 'socket mode: event dropped');
        await ack();
      } catch (err) {
        // Not acknowledged: Slack redelivers it.
        log.error({ integrationId, retry: retry_num, err: (err as Error).message }, 'socket mode: could not store an event');
      }
    };

    const close = async (client: SocketModeClient) => {
      await timeout(client.disconnect(), DISCONNECT_TIMEOUT_MS, 'socket mode disconnect').catch(() => undefined);
    };

    /** A Slack error that means the app-level token no longer works: shown on the integration. */
    const reportFailure = async (err: unknown) => {
      const code = slackErrorCode(err);
      log.warn({ integrationId, code, err: (err as Error).message }, 'socket mode: could not connect');
      if (!isBrokenIntegrationCode(code)) return;
      const reason = `Slack rejected the app-level token (${code}): reconnect the integration with a new one.`;
      if (markedError === reason) return;
      markedError = reason;
      await ctx.markIntegrationError(integrationId, reason).catch(() => undefined);
    };

    /** One connection with a fresh client; resolves once Slack said hello. */
    const connect = async (): Promise<void> => {
      const client = new SocketModeClient({
        appToken: secrets.appToken!,
        // No retries inside the SDK's WebClient: a failed apps.connections.open comes back here, with our backoff.
        clientOptions: { slackApiUrl: ctx.config.slackApiUrl, retryConfig: { retries: 0 }, timeout: 10_000 },
        logger,
        autoReconnectEnabled: false,
      });
      client.on('slack_event', onEnvelope);
      client.on('error', (err: Error) => log.warn({ integrationId, err: err.message }, 'socket mode error'));
      let open = false;
      client.on('disconnected', () => {
        if (!open) return;
        open = false;
        if (current === client) current = undefined;
        if (stopped) return;
        log.warn({ integrationId }, 'socket mode connection closed; reconnecting');
        scheduleReconnect();
      });
      const started = client.start();
      try {
        await timeout(started, CONNECT_TIMEOUT_MS, 'socket mode connect');
      } catch (err) {
        // A start that completes after we gave up must not leave a connection behind.
        started.then(() => close(client), () => undefined);
        await close(client);
        throw err;
      }
      if (stopped) {
        await close(client);
        return;
      }
      open = true;
      current = client;
    };

    const scheduleReconnect = () => {
      if (stopped || retryTimer || connecting) return;
      const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        if (stopped) return;
        connecting = connect()
          .then(() => {
            failures = 0;
            if (!stopped) log.info({ integrationId }, 'socket mode reconnected');
          })
          .catch(async (err: unknown) => {
            failures++;
            await reportFailure(err);
          })
          .finally(() => {
            connecting = undefined;
            if (!current) scheduleReconnect();
          });
      }, delay);
    };

    try {
      connecting = connect();
      await connecting;
    } catch (err) {
      await reportFailure(err);
      throw err;
    } finally {
      connecting = undefined;
    }
    log.info({ integrationId }, 'socket mode connected');
    return {
      async stop() {
        stopped = true;
        clearTimeout(retryTimer);
        retryTimer = undefined;
        await connecting?.catch(() => undefined);
        const client = current;
        current = undefined;
        if (client) await close(client);
      },
    };
  },
};
