// Socket Mode (https://api.slack.com/apis/socket-mode) with the official
// client: Slack pushes events over a WebSocket instead of HTTP. The client
// reconnects by itself on `disconnect` messages and on network loss. Each
// envelope is acknowledged as soon as its message is committed (a few ms), so
// an event is never acknowledged and then lost: unacknowledged ones are
// redelivered by Slack.
import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import type { Connector } from '../types.ts';
import { eventToMessages, parseEnvelope } from './inbound.ts';

export const slackConnector: Connector = {
  wants(integration) {
    return integration.status !== 'DISCONNECTED' && (integration.config as { mode?: string } | null)?.mode === 'socket';
  },

  async start(integration, secrets, ctx, deliver) {
    const client = new SocketModeClient({
      appToken: secrets.appToken!,
      clientOptions: { slackApiUrl: ctx.config.slackApiUrl },
      logLevel: LogLevel.ERROR,
      autoReconnectEnabled: true,
    });
    // Every envelope arrives as `slack_event` (the client 3.x emits Events API payloads under their inner
    // event type, never as `events_api`); other envelope types are acknowledged and ignored.
    client.on('slack_event', async ({ ack, type, body, retry_num }: { ack: () => Promise<void>; type: string; body: unknown; retry_num?: number }) => {
      if (type !== 'events_api') {
        await ack().catch(() => undefined);
        return;
      }
      try {
        const envelope = parseEnvelope(body);
        if (!envelope) {
          ctx.log.warn({ integrationId: integration.id }, 'socket mode: ignored a payload that is not an Events API body');
          await ack();
          return;
        }
        const result = await eventToMessages(envelope, integration, ctx);
        if (result.messages?.length) await deliver(result.messages);
        else ctx.log.debug({ integrationId: integration.id, dropped: result.dropped }, 'socket mode: event dropped');
        await ack();
      } catch (err) {
        // Not acknowledged: Slack redelivers it.
        ctx.log.error({ integrationId: integration.id, retry: retry_num, err: (err as Error).message }, 'socket mode: could not store an event');
      }
    });
    client.on('error', (err: Error) => ctx.log.warn({ integrationId: integration.id, err: err.message }, 'socket mode error'));
    await client.start();
    ctx.log.info({ integrationId: integration.id }, 'socket mode connected');
    return {
      async stop() {
        await client.disconnect().catch(() => undefined);
      },
    };
  },
};
