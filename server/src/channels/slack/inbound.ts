// From an Events API body (HTTP or Socket Mode) to customer messages.
import type { Integration } from '../../generated/prisma/client.ts';
import type { AdapterContext, WebhookResult } from '../types.ts';
import { envelopeSchema, parseEvent, type FilterState, type SlackEnvelope } from './events.ts';
import { slackSettings } from './settings.ts';

/**
 * The channel list per integration, cached for as long as the integration row
 * is unchanged: every change of monitored channels, names or settings rewrites
 * the row's config (channelsVersion), which gives it a new version.
 */
const cache = new Map<string, { version: string; state: Promise<FilterState> }>();
const MAX_CACHED = 1_000;

function versionOf(integration: Integration): string {
  return JSON.stringify(integration.config);
}

export function filterState(ctx: Pick<AdapterContext, 'prisma'>, integration: Integration): Promise<FilterState> {
  const version = versionOf(integration);
  const hit = cache.get(integration.id);
  if (hit && hit.version === version) return hit.state;
  const state = ctx.prisma.slackChannel
    .findMany({ where: { integrationId: integration.id }, select: { channelId: true, name: true, monitored: true } })
    .then((channels) => ({
      settings: slackSettings(integration.config),
      monitoredChannels: new Set(channels.filter((c) => c.monitored).map((c) => c.channelId)),
      channelNames: new Map(channels.map((c) => [c.channelId, c.name])),
    }));
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(integration.id, { version, state });
  state.catch(() => cache.delete(integration.id));
  return state;
}

/** The body of an Events API request or Socket Mode envelope, validated. */
export function parseEnvelope(json: unknown): SlackEnvelope | undefined {
  const result = envelopeSchema.safeParse(json);
  return result.success ? result.data : undefined;
}

export async function eventToMessages(envelope: SlackEnvelope, integration: Integration, ctx: Pick<AdapterContext, 'prisma'>): Promise<WebhookResult> {
  if (envelope.type !== 'event_callback') return { status: 200, body: '', dropped: envelope.type };
  const parsed = parseEvent(envelope, await filterState(ctx, integration));
  return 'message' in parsed ? { status: 200, body: '', messages: [parsed.message] } : { status: 200, body: '', dropped: parsed.dropped };
}

