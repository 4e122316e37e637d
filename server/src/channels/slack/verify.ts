// Slack request signing: https://api.slack.com/authentication/verifying-requests-from-slack
// v0=HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>"), compared in
// constant time; timestamps more than five minutes away (either way) are
// refused so a captured request cannot be replayed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookError } from '../types.ts';

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export function verifySlackRequest(signingSecret: string, headers: Record<string, string | undefined>, rawBody: Buffer, now: Date): void {
  const timestamp = headers['x-slack-request-timestamp'];
  const signature = headers['x-slack-signature'];
  if (!timestamp || !signature) throw new WebhookError(401, 'Missing X-Slack-Signature or X-Slack-Request-Timestamp.');
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(now.getTime() / 1000 - seconds) > MAX_CLOCK_SKEW_SECONDS) {
    throw new WebhookError(401, 'Stale or invalid X-Slack-Request-Timestamp (more than 5 minutes from now): refused as a possible replay.');
  }
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookError(401, 'X-Slack-Signature does not match: check the signing secret of this integration.');
  }
}
