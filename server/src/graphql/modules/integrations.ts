// Integrations as admins see them. Secrets live in the Credential table and no
// field here can reach them.
import { builder } from '../builder.ts';
import { requireViewer } from '../context.ts';
import { IntegrationStatusEnum, ProviderEnum } from './enums.ts';

/** Where a provider calls us; null where the provider needs no URL (e.g. Slack Socket Mode). */
export type WebhookUrlBuilder = (integration: { id: string; provider: string; config: unknown }, publicUrl: string) => string | null;

const webhookUrlBuilders = new Map<string, WebhookUrlBuilder>();

/** Providers register how their webhook URL is built (see channels/). */
export function registerWebhookUrl(provider: string, build: WebhookUrlBuilder): void {
  webhookUrlBuilders.set(provider, build);
}

export const IntegrationRef = builder.prismaObject('Integration', {
  fields: (t) => ({
    id: t.exposeID('id'),
    provider: t.expose('provider', { type: ProviderEnum }),
    status: t.expose('status', { type: IntegrationStatusEnum }),
    displayName: t.exposeString('displayName', {
      description: 'What the provider calls the account: the Slack workspace name, the Twilio account\'s friendly name, the SendGrid sender.',
    }),
    webhookUrl: t.string({
      nullable: true,
      description: 'The URL to paste into the provider\'s console, absolute, built from PUBLIC_URL. Null where none is needed (Socket Mode).',
      resolve: (i, _args, ctx) => webhookUrlBuilders.get(i.provider)?.(i, ctx.config.publicUrl) ?? null,
    }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('integrations', (t) =>
  t.prismaField({
    type: ['Integration'],
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.integration.findMany({ ...query, where: { workspaceId: requireViewer(ctx).workspaceId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  }),
);
