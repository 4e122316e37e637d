// The official WebClient, pointed at SLACK_API_URL. Retries and rate-limit
// waits are ours to decide (jobs retry transient errors with the delay Slack
// asks for), so the client never blocks a job for minutes on its own.
import { ErrorCode, LogLevel, WebClient, type WebAPICallError } from '@slack/web-api';
import { DeliveryError } from '../types.ts';

export function slackClient(token: string, slackApiUrl: string): WebClient {
  return new WebClient(token, {
    slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    timeout: 15_000,
  });
}

/** Slack errors that will not succeed on retry (https://api.slack.com/methods/chat.postMessage#errors). */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'msg_too_long', 'no_text', 'restricted_action', 'cannot_reply_to_message',
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission', 'missing_scope',
  'ekm_access_denied', 'team_access_not_granted', 'user_not_found', 'user_not_visible', 'invalid_blocks', 'duplicate_channel_not_found',
]);

const BROKEN_INTEGRATION = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'team_access_not_granted']);

const READABLE: Record<string, string> = {
  channel_not_found: 'Slack says the channel no longer exists or the bot cannot see it.',
  not_in_channel: 'The bot is not a member of this channel: invite it with /invite.',
  is_archived: 'The channel is archived.',
  invalid_auth: 'Slack rejected the bot token (invalid_auth): reconnect the integration.',
  token_revoked: 'The bot token was revoked: reconnect the integration.',
  account_inactive: 'The bot user or workspace is inactive: reconnect the integration.',
  missing_scope: 'The Slack app lacks a permission (missing_scope): add it and reinstall the app.',
  msg_too_long: 'The message is too long for Slack.',
};

export function slackErrorCode(err: unknown): string | undefined {
  const e = err as WebAPICallError & { data?: { error?: string } };
  return e?.data?.error;
}

/** Maps a WebClient failure to a DeliveryError that says whether to retry. */
export function toDeliveryError(err: unknown): DeliveryError {
  const e = err as WebAPICallError & { data?: { error?: string }; retryAfter?: number; statusCode?: number; original?: Error };
  if (e?.code === ErrorCode.RateLimitedError) {
    return new DeliveryError('ratelimited', 'Slack rate limit: retrying after the delay Slack asked for.', { permanent: false, retryAfterMs: (e.retryAfter ?? 1) * 1000 });
  }
  if (e?.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    const permanent = PERMANENT.has(code);
    return new DeliveryError(code, READABLE[code] ?? `Slack answered ${code}.`, { permanent, integrationBroken: BROKEN_INTEGRATION.has(code) });
  }
  if (e?.code === ErrorCode.HTTPError) {
    return new DeliveryError(`http_${e.statusCode ?? 'error'}`, `Slack answered HTTP ${e.statusCode ?? '?'}.`, { permanent: false });
  }
  return new DeliveryError('network', `Could not reach Slack: ${(e?.original ?? (err as Error))?.message ?? String(err)}`, { permanent: false });
}

export function isBrokenIntegrationCode(code: string | undefined): boolean {
  return code !== undefined && BROKEN_INTEGRATION.has(code);
}

export { READABLE as slackErrorText };
