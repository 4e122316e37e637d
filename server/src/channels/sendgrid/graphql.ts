// SendGrid's part of the GraphQL API: connectSendGrid and the sender on Integration.
import { randomBytes } from 'node:crypto';
import { userError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import { requireAdmin } from '../../graphql/context.ts';
import { IntegrationRef } from '../../graphql/modules/integrations.ts';
import { sendgridSettings, type SendGridSettings } from './settings.ts';
import { SendGridSetupError, checkApiKey, checkDomain, checkEmail } from './setup.ts';
import { parsePublicKey } from './verify.ts';

const ConnectSendGridInput = builder.inputType('ConnectSendGridInput', {
  fields: (t) => ({
    apiKey: t.string({ required: true, description: 'SG.… with the Mail Send permission (Settings, API Keys); stored encrypted, never shown again.' }),
    fromEmail: t.string({ required: true, description: 'A verified sender: replies come from this address.' }),
    fromName: t.string({ required: false }),
    inboundDomain: t.string({ required: true, description: 'The Inbound Parse host; Reply-To routing addresses live here.' }),
    webhookPublicKey: t.string({
      required: false,
      description: 'SendGrid\'s verification key for signed webhooks (base64, from Mail Settings). When given, unsigned posts are refused. Omitted on a reconnect: kept; empty: removed.',
    }),
  }),
});

const forSendGrid = <T>(pick: (s: SendGridSettings) => T) => (i: { provider: string; config: unknown }) => (i.provider === 'SENDGRID' ? pick(sendgridSettings(i.config)) : null);

builder.objectField(IntegrationRef, 'fromEmail', (t) => t.string({ nullable: true, description: 'SendGrid only: the sender address.', resolve: forSendGrid((s) => s.fromEmail) }));
builder.objectField(IntegrationRef, 'fromName', (t) => t.string({ nullable: true, description: 'SendGrid only: the sender name.', resolve: forSendGrid((s) => s.fromName) }));
builder.objectField(IntegrationRef, 'inboundDomain', (t) => t.string({ nullable: true, description: 'SendGrid only: the Inbound Parse host.', resolve: forSendGrid((s) => s.inboundDomain) }));
builder.objectField(IntegrationRef, 'webhookSigned', (t) =>
  t.boolean({ nullable: true, description: 'SendGrid only: whether webhook posts must carry SendGrid\'s signature.', resolve: forSendGrid((s) => !!s.webhookPublicKey) }),
);

builder.mutationField('connectSendGrid', (t) =>
  t.prismaField({
    type: 'Integration',
    description: 'ADMIN only. Checks the API key with SendGrid first (it must be allowed to send mail); stores nothing when it is wrong. Connecting the same sender and domain again updates it and keeps its webhook URL.',
    args: { input: t.arg({ type: ConnectSendGridInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const viewer = requireAdmin(ctx);
      const apiKey = input.apiKey.trim();
      let settings: SendGridSettings;
      try {
        const fromEmail = checkEmail(input.fromEmail);
        const inboundDomain = checkDomain(input.inboundDomain);
        const webhookPublicKey = input.webhookPublicKey?.trim() || null;
        if (webhookPublicKey) {
          try {
            parsePublicKey(webhookPublicKey);
          } catch {
            throw new SendGridSetupError('The verification key is not an elliptic-curve public key: copy the whole key SendGrid shows when you enable signed webhooks.', 'webhookPublicKey');
          }
        }
        await checkApiKey(apiKey, ctx.config.sendgridApiUrl);
        settings = { fromEmail, fromName: input.fromName?.trim() || null, inboundDomain, webhookPublicKey, connectedAt: new Date().toISOString() };
      } catch (err) {
        if (err instanceof SendGridSetupError) throw userError('BAD_USER_INPUT', err.message, { field: err.field });
        throw err;
      }
      const existing = await ctx.prisma.integration.findFirst({
        where: {
          workspaceId: viewer.workspaceId, provider: 'SENDGRID', status: { not: 'DISCONNECTED' },
          AND: [{ config: { path: ['inboundDomain'], equals: settings.inboundDomain } }, { config: { path: ['fromEmail'], equals: settings.fromEmail } }],
        },
      });
      // A reconnect that does not mention the key keeps it (signing is never turned off by omission); "" removes it.
      if (existing && input.webhookPublicKey == null) settings.webhookPublicKey = sendgridSettings(existing.config).webhookPublicKey;
      // The secret in the webhook URL survives a reconnect, so SendGrid's settings stay valid.
      const inboundSecret = (existing ? (await ctx.credentials.get(existing.id)).inboundSecret : undefined) ?? randomBytes(24).toString('base64url');
      const displayName = settings.fromName ? `${settings.fromName} <${settings.fromEmail}>` : settings.fromEmail;
      const id = await ctx.prisma.$transaction(async (tx) => {
        const data = { displayName, config: settings, status: 'CONNECTED' as const, lastError: null };
        const row = existing
          ? await tx.integration.update({ where: { id: existing.id }, data })
          : await tx.integration.create({ data: { ...data, workspaceId: viewer.workspaceId, provider: 'SENDGRID' } });
        await ctx.credentials.remove(row.id, tx);
        await ctx.credentials.put(row.id, { apiKey, inboundSecret }, tx);
        return row.id;
      });
      ctx.log.info({ integrationId: id, inboundDomain: settings.inboundDomain }, existing ? 'sendgrid integration updated' : 'sendgrid integration connected');
      return ctx.prisma.integration.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
