// Integrations as admins see them. Secrets live in the Credential table and no
// field here can reach them.
import { builder } from '../builder.ts';
import { findAdapter } from '../../channels/registry.ts';
import { notFound } from '../../errors.ts';
import { requireAdmin, requireViewer } from '../context.ts';
import { IntegrationStatusEnum, ProviderEnum } from './enums.ts';

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
      resolve: async (i, _args, ctx) => (i.status === 'DISCONNECTED' ? null : ((await findAdapter(i.provider)?.webhookUrl(i, ctx.config.publicUrl, () => ctx.credentials.get(i.id))) ?? null)),
    }),
    statusWebhookUrl: t.string({
      nullable: true,
      description: 'Where the provider should post delivery events, when that is set once in its console (SendGrid Event Webhook). Null where the provider is told per message (Twilio) or has none.',
      resolve: async (i, _args, ctx) => (i.status === 'DISCONNECTED' ? null : ((await findAdapter(i.provider)?.statusWebhookUrl?.(i, ctx.config.publicUrl, () => ctx.credentials.get(i.id))) ?? null)),
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

builder.mutationField('disconnectIntegration', (t) =>
  t.prismaField({
    type: 'Integration',
    description: 'ADMIN only. Stops everything for the integration: its webhook answers 410, its provider connection closes, its secrets are deleted.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { workspaceId } = requireAdmin(ctx);
      const id = String(args.id);
      const found = await ctx.prisma.$transaction(async (tx) => {
        const res = await tx.integration.updateMany({ where: { id, workspaceId }, data: { status: 'DISCONNECTED', disconnectedAt: new Date() } });
        if (res.count === 0) return false;
        await ctx.credentials.remove(id, tx);
        return true;
      });
      if (!found) throw notFound('integration', id);
      ctx.log.info({ integrationId: id }, 'integration disconnected');
      return ctx.prisma.integration.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
