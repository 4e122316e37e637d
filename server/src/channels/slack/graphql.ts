// Slack's part of the GraphQL API: connectSlack, slackChannels,
// setMonitoredChannels, setSlackAllowedUsers, and the allowed-user list on Integration.
import { userError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import { requireAdmin, requireViewer, type Context } from '../../graphql/context.ts';
import { IntegrationRef } from '../../graphql/modules/integrations.ts';
import { markIntegrationError } from '../../inbox/integration-status.ts';
import { slackErrorCode, slackErrorText } from './client.ts';
import { slackSettings, type SlackSettings } from './settings.ts';
import { SlackSetupError, listChannels, validateAppToken, validateBotToken, type ListedChannel } from './setup.ts';

const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;

interface SlackChannelShape {
  id: string;
  name: string;
  isMember: boolean;
  monitored: boolean;
}

const SlackChannelRef = builder.objectRef<SlackChannelShape>('SlackChannel').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: "Slack's channel id, e.g. C01ABCDEF12" }),
    name: t.exposeString('name'),
    isMember: t.exposeBoolean('isMember', { description: 'The bot is in it (only then can it be monitored).' }),
    monitored: t.exposeBoolean('monitored'),
  }),
});

const ConnectSlackInput = builder.inputType('ConnectSlackInput', {
  fields: (t) => ({
    botToken: t.string({ required: true, description: 'xoxb-…' }),
    signingSecret: t.string({ required: false, description: 'HTTP Events API' }),
    appToken: t.string({ required: false, description: 'xapp-… Socket Mode; one of the two is required' }),
    allowedUserIds: t.stringList({ required: false, description: 'When non-empty, only these Slack users\' messages are taken.' }),
  }),
});

function allowedUsers(ids: readonly string[] | null | undefined): string[] {
  const list = [...new Set((ids ?? []).map((s) => s.trim()).filter(Boolean))];
  const bad = list.filter((id) => !SLACK_USER.test(id));
  if (bad.length) throw userError('BAD_USER_INPUT', `Not Slack user ids: ${bad.join(', ')} (they look like U01ABCDEF).`, { field: 'allowedUserIds' });
  return list;
}

async function slackIntegration(ctx: Context, integrationId: string) {
  const { workspaceId } = requireViewer(ctx);
  const integration = await ctx.prisma.integration.findFirst({ where: { id: integrationId, workspaceId, provider: 'SLACK' } });
  if (!integration) throw userError('NOT_FOUND', `No Slack integration with id "${integrationId}" in this workspace.`);
  if (integration.status === 'DISCONNECTED') throw userError('BAD_USER_INPUT', 'This Slack integration is disconnected.');
  return integration;
}

/** Live channel list, merged with what Parley stores (names cached, monitored flags). */
async function syncChannels(ctx: Context, integrationId: string, monitored?: Set<string>): Promise<SlackChannelShape[]> {
  const integration = await slackIntegration(ctx, integrationId);
  const { botToken } = await ctx.credentials.get(integration.id);
  let live: ListedChannel[];
  try {
    live = await listChannels(botToken!, ctx.config.slackApiUrl);
  } catch (err) {
    const code = slackErrorCode(err);
    if (!code) throw userError('BAD_USER_INPUT', `Could not reach Slack: ${(err as Error).message}`);
    const text = slackErrorText[code] ?? `Slack answered ${code}.`;
    if (code === 'invalid_auth' || code === 'token_revoked' || code === 'account_inactive') await markIntegrationError(ctx.prisma, integration.id, text);
    throw userError('BAD_USER_INPUT', text);
  }
  if (monitored) {
    const byId = new Map(live.map((c) => [c.id, c]));
    const unknown = [...monitored].filter((id) => !byId.has(id));
    const notIn = [...monitored].filter((id) => byId.has(id) && !byId.get(id)!.isMember).map((id) => `#${byId.get(id)!.name}`);
    if (unknown.length) throw userError('BAD_USER_INPUT', `Slack does not know these channels (or the bot cannot see them): ${unknown.join(', ')}.`, { field: 'channelIds' });
    if (notIn.length) throw userError('BAD_USER_INPUT', `Invite the bot to ${notIn.join(', ')} first (/invite in the channel), then choose it again.`, { field: 'channelIds' });
  }
  const stored = await ctx.prisma.slackChannel.findMany({ where: { integrationId } });
  const wasMonitored = new Set(stored.filter((c) => c.monitored).map((c) => c.channelId));
  const storedById = new Map(stored.map((c) => [c.channelId, c]));
  const liveIds = new Set(live.map((c) => c.id));
  const changed =
    live.some((c) => {
      const before = storedById.get(c.id);
      const isMonitored = monitored ? monitored.has(c.id) : wasMonitored.has(c.id);
      return !before || before.name !== c.name || before.monitored !== isMonitored;
    }) || stored.some((c) => c.monitored && !liveIds.has(c.channelId));
  await ctx.prisma.$transaction(async (tx) => {
    // Inbound filtering caches the channel list per integration version: a change bumps it.
    if (changed) await tx.integration.update({ where: { id: integrationId }, data: { config: { ...slackSettings(integration.config), channelsVersion: new Date().toISOString() } } });
    for (const c of live) {
      const isMonitored = monitored ? monitored.has(c.id) : wasMonitored.has(c.id);
      await tx.slackChannel.upsert({
        where: { integrationId_channelId: { integrationId, channelId: c.id } },
        create: { integrationId, channelId: c.id, name: c.name, monitored: isMonitored },
        update: { name: c.name, monitored: isMonitored },
      });
    }
    // Channels Slack no longer lists (archived, bot removed) stop being monitored.
    await tx.slackChannel.updateMany({ where: { integrationId, channelId: { notIn: live.map((c) => c.id) } }, data: { monitored: false } });
  });
  return live.map((c) => ({ id: c.id, name: c.name, isMember: c.isMember, monitored: monitored ? monitored.has(c.id) : wasMonitored.has(c.id) }));
}

builder.objectField(IntegrationRef, 'slackAllowedUserIds', (t) =>
  t.stringList({
    nullable: true,
    description: 'Slack only: when non-empty, only these users\' messages are taken. Null for other providers.',
    resolve: (i) => (i.provider === 'SLACK' ? slackSettings(i.config).allowedUserIds : null),
  }),
);

builder.queryField('slackChannels', (t) =>
  t.field({
    type: [SlackChannelRef],
    description: 'conversations.list, live.',
    args: { integrationId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => syncChannels(ctx, String(args.integrationId)),
  }),
);

builder.mutationFields((t) => ({
  connectSlack: t.prismaField({
    type: 'Integration',
    description: 'ADMIN only. Validates the tokens with Slack first; stores nothing when they are wrong.',
    args: { input: t.arg({ type: ConnectSlackInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const viewer = requireAdmin(ctx);
      const botToken = input.botToken.trim();
      const signingSecret = input.signingSecret?.trim() || undefined;
      const appToken = input.appToken?.trim() || undefined;
      if (!botToken.startsWith('xoxb-')) throw userError('BAD_USER_INPUT', 'A bot token starts with xoxb-: copy the Bot User OAuth Token from your app\'s OAuth & Permissions page.', { field: 'botToken' });
      if (!signingSecret && !appToken) throw userError('BAD_USER_INPUT', 'Give the signing secret (Events API over HTTP) or an app-level token (Socket Mode).', { field: 'signingSecret' });
      if (appToken && !appToken.startsWith('xapp-')) throw userError('BAD_USER_INPUT', 'An app-level token starts with xapp-: create one under Basic Information → App-Level Tokens.', { field: 'appToken' });
      // Omitted on a reconnect (e.g. new tokens): the integration keeps its list. Given (even empty): replaced.
      const allowed = input.allowedUserIds == null ? undefined : allowedUsers(input.allowedUserIds);
      let bot;
      try {
        bot = await validateBotToken(botToken, ctx.config.slackApiUrl);
        if (appToken) await validateAppToken(appToken, ctx.config.slackApiUrl);
      } catch (err) {
        if (err instanceof SlackSetupError) throw userError('BAD_USER_INPUT', err.message, { field: err.field });
        throw err;
      }
      const secrets: Record<string, string> = { botToken, ...(signingSecret ? { signingSecret } : {}), ...(appToken ? { appToken } : {}) };
      // Connecting the same Slack workspace again updates that integration (e.g. new tokens).
      const existing = await ctx.prisma.integration.findFirst({
        where: { workspaceId: viewer.workspaceId, provider: 'SLACK', status: { not: 'DISCONNECTED' }, config: { path: ['teamId'], equals: bot.teamId } },
      });
      const keptAllowed = existing ? slackSettings(existing.config).allowedUserIds : [];
      const settings: SlackSettings = { teamId: bot.teamId, teamName: bot.teamName, teamUrl: bot.teamUrl, botUserId: bot.botUserId, botId: bot.botId, mode: appToken ? 'socket' : 'events', allowedUserIds: allowed ?? keptAllowed, connectedAt: new Date().toISOString() };
      const id = await ctx.prisma.$transaction(async (tx) => {
        const data = { displayName: bot.teamName, config: settings, status: 'CONNECTED' as const, lastError: null };
        const row = existing
          ? await tx.integration.update({ where: { id: existing.id }, data })
          : await tx.integration.create({ data: { ...data, workspaceId: viewer.workspaceId, provider: 'SLACK' } });
        await ctx.credentials.remove(row.id, tx);
        await ctx.credentials.put(row.id, secrets, tx);
        return row.id;
      });
      ctx.log.info({ integrationId: id, teamId: bot.teamId, mode: settings.mode }, existing ? 'slack integration updated' : 'slack integration connected');
      return ctx.prisma.integration.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),

  setMonitoredChannels: t.field({
    type: [SlackChannelRef],
    description: 'ADMIN only. Only channels the bot is a member of can be monitored.',
    args: { integrationId: t.arg.id({ required: true }), channelIds: t.arg.idList({ required: true }) },
    resolve: (_root, args, ctx) => {
      requireAdmin(ctx);
      return syncChannels(ctx, String(args.integrationId), new Set(args.channelIds.map(String)));
    },
  }),

  setSlackAllowedUsers: t.prismaField({
    type: 'Integration',
    description: 'ADMIN only. An empty list takes messages from everyone.',
    args: { integrationId: t.arg.id({ required: true }), userIds: t.arg.stringList({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      requireAdmin(ctx);
      const integration = await slackIntegration(ctx, String(args.integrationId));
      const settings = { ...slackSettings(integration.config), allowedUserIds: allowedUsers(args.userIds) };
      return ctx.prisma.integration.update({ ...query, where: { id: integration.id }, data: { config: settings } });
    },
  }),
}));
