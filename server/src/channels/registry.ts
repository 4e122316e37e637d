// Provider -> adapter. The only place that imports the provider folders.
import type { Provider } from '../generated/prisma/client.ts';
import { sendgridAdapter } from './sendgrid/adapter.ts';
import { slackAdapter } from './slack/adapter.ts';
import { twilioAdapter } from './twilio/adapter.ts';
import type { ChannelAdapter } from './types.ts';

const adapters = new Map<Provider, ChannelAdapter>([slackAdapter, twilioAdapter, sendgridAdapter].map((a) => [a.provider, a]));

/** URL path segment per provider: /webhooks/<segment>/<integrationId>. */
export function adapterForPath(segment: string): ChannelAdapter | undefined {
  return [...adapters.values()].find((a) => a.provider.toLowerCase() === segment.toLowerCase());
}

export function findAdapter(provider: Provider): ChannelAdapter | undefined {
  return adapters.get(provider);
}

export function adapterFor(provider: Provider): ChannelAdapter {
  const adapter = adapters.get(provider);
  if (!adapter) throw new Error(`No channel adapter for ${provider}`);
  return adapter;
}

export function allAdapters(): ChannelAdapter[] {
  return [...adapters.values()];
}
