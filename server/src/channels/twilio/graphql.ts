// Twilio's part of the GraphQL API: connectTwilio and the numbers on Integration.
import { userError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import { requireAdmin } from '../../graphql/context.ts';
import { IntegrationRef } from '../../graphql/modules/integrations.ts';
import { twilioSettings, type TwilioSettings } from './settings.ts';
import { TwilioSetupError, checkAccountSid, checkNumber, fetchAccount } from './setup.ts';

const ConnectTwilioInput = builder.inputType('ConnectTwilioInput', {
  fields: (t) => ({
    accountSid: t.string({ required: true, description: 'AC… from the Twilio Console, Account Info.' }),
    authToken: t.string({ required: true, description: 'The account\'s auth token (Account Info); stored encrypted, never shown again.' }),
    smsNumber: t.string({ required: false, description: 'E.164; at least one of the two numbers.' }),
    whatsappNumber: t.string({ required: false, description: 'E.164, without the whatsapp: prefix.' }),
  }),
});

builder.objectField(IntegrationRef, 'smsNumber', (t) =>
  t.string({ nullable: true, description: 'Twilio only: the SMS number customers write to.', resolve: (i) => (i.provider === 'TWILIO' ? twilioSettings(i.config).smsNumber : null) }),
);
builder.objectField(IntegrationRef, 'whatsappNumber', (t) =>
  t.string({ nullable: true, description: 'Twilio only: the WhatsApp sender number.', resolve: (i) => (i.provider === 'TWILIO' ? twilioSettings(i.config).whatsappNumber : null) }),
);

builder.mutationField('connectTwilio', (t) =>
  t.prismaField({
    type: 'Integration',
    description: 'ADMIN only. Fetches the account with the credentials first; stores nothing when they are wrong. Connecting the same account again updates it.',
    args: { input: t.arg({ type: ConnectTwilioInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const viewer = requireAdmin(ctx);
      let settings: TwilioSettings;
      let friendlyName: string;
      const authToken = input.authToken.trim();
      try {
        const accountSid = checkAccountSid(input.accountSid);
        if (!authToken) throw new TwilioSetupError('The auth token is required: copy it from the Twilio Console, Account Info.', 'authToken');
        const smsNumber = checkNumber(input.smsNumber, 'smsNumber');
        const whatsappNumber = checkNumber(input.whatsappNumber, 'whatsappNumber');
        if (!smsNumber && !whatsappNumber) throw new TwilioSetupError('Give the SMS number, the WhatsApp number, or both: the numbers customers write to.', 'smsNumber');
        ({ friendlyName } = await fetchAccount(accountSid, authToken, ctx.config.twilioApiUrl));
        settings = { accountSid, smsNumber, whatsappNumber, connectedAt: new Date().toISOString() };
      } catch (err) {
        if (err instanceof TwilioSetupError) throw userError('BAD_USER_INPUT', err.message, { field: err.field });
        throw err;
      }
      const existing = await ctx.prisma.integration.findFirst({
        where: { workspaceId: viewer.workspaceId, provider: 'TWILIO', status: { not: 'DISCONNECTED' }, config: { path: ['accountSid'], equals: settings.accountSid } },
      });
      const id = await ctx.prisma.$transaction(async (tx) => {
        const data = { displayName: friendlyName, config: settings, status: 'CONNECTED' as const, lastError: null };
        const row = existing
          ? await tx.integration.update({ where: { id: existing.id }, data })
          : await tx.integration.create({ data: { ...data, workspaceId: viewer.workspaceId, provider: 'TWILIO' } });
        await ctx.credentials.remove(row.id, tx);
        await ctx.credentials.put(row.id, { authToken }, tx);
        return row.id;
      });
      ctx.log.info({ integrationId: id, accountSid: settings.accountSid }, existing ? 'twilio integration updated' : 'twilio integration connected');
      return ctx.prisma.integration.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
