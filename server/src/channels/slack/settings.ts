// The non-secret settings of a Slack integration, kept in Integration.config.
import { z } from 'zod';

export const slackSettingsSchema = z.object({
  teamId: z.string(),
  teamName: z.string(),
  teamUrl: z.string().nullish(),
  botUserId: z.string(),
  botId: z.string().nullish(),
  /** 'events': the HTTP Events API; 'socket': Socket Mode. */
  mode: z.enum(['events', 'socket']),
  /** When non-empty, only these Slack users' messages are taken. */
  allowedUserIds: z.array(z.string()).default([]),
  /** Set on every connect, so a reconnect with new tokens is seen as a change by the connection manager. */
  connectedAt: z.string().optional(),
  /** Changes whenever the monitored channels (or their names) change, so cached channel lists are dropped. */
  channelsVersion: z.string().optional(),
});

export type SlackSettings = z.infer<typeof slackSettingsSchema>;

export function slackSettings(config: unknown): SlackSettings {
  return slackSettingsSchema.parse(config);
}

/** Secrets, as stored in the credential store. */
export interface SlackSecrets {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
}
