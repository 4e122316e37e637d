// Connecting a Slack app: validate the tokens against Slack before anything is
// stored, and list the channels the bot can see.
import { ErrorCode } from '@slack/web-api';
import { slackClient, slackErrorCode } from './client.ts';

export class SlackSetupError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface BotIdentity {
  teamId: string;
  teamName: string;
  teamUrl: string | null;
  botUserId: string;
  botId: string | null;
}

function unreachable(err: unknown, slackApiUrl: string): SlackSetupError | undefined {
  const code = (err as { code?: string }).code;
  if (code === ErrorCode.RequestError || code === ErrorCode.HTTPError) {
    return new SlackSetupError('botToken', `Could not reach Slack at ${slackApiUrl} (${(err as Error).message}). Try again in a moment.`);
  }
  return undefined;
}

/** auth.test (https://api.slack.com/methods/auth.test): who the bot is and which workspace it is in. */
export async function validateBotToken(botToken: string, slackApiUrl: string): Promise<BotIdentity> {
  try {
    const res = await slackClient(botToken, slackApiUrl).auth.test();
    if (!res.team_id || !res.user_id) throw new SlackSetupError('botToken', 'Slack did not say which workspace this token belongs to.');
    if (!res.bot_id) throw new SlackSetupError('botToken', 'This is a user token: use the app\'s Bot User OAuth Token (xoxb-…) from OAuth & Permissions.');
    return { teamId: res.team_id, teamName: res.team ?? res.team_id, teamUrl: res.url ?? null, botUserId: res.user_id, botId: res.bot_id ?? null };
  } catch (err) {
    if (err instanceof SlackSetupError) throw err;
    const code = slackErrorCode(err);
    if (code) throw new SlackSetupError('botToken', `Slack rejected the bot token (${code}). Copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page.`);
    throw unreachable(err, slackApiUrl) ?? err;
  }
}

/** apps.connections.open (https://api.slack.com/methods/apps.connections.open) proves an app-level token can open Socket Mode. */
export async function validateAppToken(appToken: string, slackApiUrl: string): Promise<void> {
  try {
    await slackClient(appToken, slackApiUrl).apps.connections.open();
  } catch (err) {
    const code = slackErrorCode(err);
    if (code) {
      throw new SlackSetupError('appToken', `Slack rejected the app-level token (${code}). Create one with the connections:write scope under Basic Information → App-Level Tokens, and turn on Socket Mode.`);
    }
    const e = unreachable(err, slackApiUrl);
    throw e ? new SlackSetupError('appToken', e.message) : err;
  }
}

export interface ListedChannel {
  id: string;
  name: string;
  isMember: boolean;
  isPrivate: boolean;
}

/** conversations.list, every page, public and private channels the bot can see. */
export async function listChannels(botToken: string, slackApiUrl: string): Promise<ListedChannel[]> {
  const out: ListedChannel[] = [];
  const client = slackClient(botToken, slackApiUrl);
  for await (const page of client.paginate('conversations.list', { types: 'public_channel,private_channel', exclude_archived: true, limit: 200 })) {
    const channels = (page as { channels?: { id?: string; name?: string; is_member?: boolean; is_private?: boolean }[] }).channels ?? [];
    for (const c of channels) if (c.id) out.push({ id: c.id, name: c.name ?? c.id, isMember: Boolean(c.is_member), isPrivate: Boolean(c.is_private) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
