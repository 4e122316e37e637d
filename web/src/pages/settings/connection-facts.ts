// What the integration settings list about one connection, per provider.
import type { SettingsIntegrationFieldsFragment } from '../../graphql/generated/graphql';

export interface Fact {
  label: string;
  value: string;
  /** Ids, numbers and host names read better in a fixed-width face. */
  mono?: boolean;
}

type Integration = Pick<
  SettingsIntegrationFieldsFragment,
  'provider' | 'webhookUrl' | 'slackAllowedUserIds' | 'smsNumber' | 'whatsappNumber' | 'inboundDomain' | 'webhookSigned'
>;

export function connectionFacts(i: Integration): Fact[] {
  switch (i.provider) {
    case 'SLACK':
      return [
        // Socket Mode integrations have no Request URL.
        { label: 'Events', value: i.webhookUrl ? 'Events API over HTTP' : 'Socket Mode' },
        { label: 'Takes messages from', value: i.slackAllowedUserIds?.length ? i.slackAllowedUserIds.join(', ') : 'Everyone', mono: !!i.slackAllowedUserIds?.length },
      ];
    case 'TWILIO':
      return [
        { label: 'SMS number', value: i.smsNumber ?? 'None', mono: !!i.smsNumber },
        { label: 'WhatsApp sender', value: i.whatsappNumber ?? 'None', mono: !!i.whatsappNumber },
      ];
    case 'SENDGRID':
      // The sender is the integration's displayName, shown as its heading.
      return [
        { label: 'Receiving domain', value: i.inboundDomain ?? '', mono: true },
        { label: 'Signed webhooks', value: i.webhookSigned ? 'On: unsigned posts are refused' : 'Off' },
      ];
  }
}

/** "Disconnect Acme Customers?" and what it means, per provider. */
export function disconnectWarning(provider: Integration['provider']): string {
  switch (provider) {
    case 'SLACK':
      return 'Parley stops taking messages from this Slack workspace and can no longer reply in it. Its tokens are deleted; existing tasks stay in the inbox.';
    case 'TWILIO':
      return 'Parley stops taking SMS and WhatsApp messages to these numbers and can no longer reply from them. The credentials are deleted; existing tasks stay in the inbox.';
    case 'SENDGRID':
      return 'Parley stops taking email for this sender and can no longer reply from it; its Inbound Parse URL stops working. The API key is deleted; existing tasks stay in the inbox.';
  }
}
