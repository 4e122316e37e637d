// How each provider is set up, in the provider's own words: the labels its
// console uses, where to find each credential, where to paste Parley's URLs.
// The text follows README.md, "Connecting providers". `backticks` mark code.
import type { Provider } from '../../graphql/generated/graphql';

export interface SetupFieldSpec {
  /** The Connect…Input field this fills, and the name the API blames in `extensions.field`. */
  name: string;
  /** What the provider's console calls it. */
  label: string;
  /** Where to find it. */
  help: string;
  placeholder?: string;
  /** A credential: a password input, cleared once connected, never shown again. */
  secret?: boolean;
  required?: boolean;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
}

export interface DocsLink {
  label: string;
  href: string;
}

export interface UrlSpec {
  /** What the provider's console calls the setting the URL goes into. */
  label: string;
  /** Where to paste it. */
  help: string;
}

export interface ProviderSetup {
  provider: Provider;
  label: string;
  /** The conversations it brings in, one line. */
  summary: string;
  /** What one connection is called: a Slack workspace, a Twilio account, a SendGrid sender. */
  accountNoun: string;
  /** Steps in the provider's console before the form can be filled in. */
  before: string[];
  fields: Record<string, SetupFieldSpec>;
  /** Where `Integration.webhookUrl` goes. */
  webhookUrl: UrlSpec;
  /** Where `Integration.statusWebhookUrl` goes, for providers that have one. */
  statusWebhookUrl?: UrlSpec;
  docs: DocsLink[];
}

function fields(list: SetupFieldSpec[]): Record<string, SetupFieldSpec> {
  return Object.fromEntries(list.map((f) => [f.name, f]));
}

/** The bot token scopes Parley needs, as README.md lists them. */
export const SLACK_BOT_SCOPES = [
  'channels:history',
  'groups:history',
  'im:history',
  'app_mentions:read',
  'channels:read',
  'groups:read',
  'im:read',
  'users:read',
  'users:read.email',
  'chat:write',
  'metadata.message:read',
] as const;

/** The bot events to subscribe to for the Events API. */
export const SLACK_BOT_EVENTS = ['message.channels', 'message.groups', 'message.im', 'app_mention'] as const;

export const slackSetup: ProviderSetup = {
  provider: 'SLACK',
  label: 'Slack',
  summary: 'Messages in the channels you choose and direct messages to your bot, in the workspace your customers write in.',
  accountNoun: 'workspace',
  before: [
    'Create a Slack app in the workspace your customers write in: api.slack.com/apps → Create New App → From scratch.',
    `Under OAuth & Permissions, add the Bot Token Scopes ${SLACK_BOT_SCOPES.map((s) => `\`${s}\``).join(', ')}, then install the app.`,
    'Pick how Slack reaches Parley: the Events API over HTTP when Parley is reachable from the internet, or Socket Mode behind a firewall.',
  ],
  fields: fields([
    {
      name: 'botToken',
      label: 'Bot User OAuth Token',
      placeholder: 'xoxb-…',
      secret: true,
      required: true,
      help: 'OAuth & Permissions → OAuth Tokens, once the app is installed. It starts with `xoxb-`.',
    },
    {
      name: 'signingSecret',
      label: 'Signing Secret',
      secret: true,
      help: 'Basic Information → App Credentials. Parley checks every event Slack posts with it.',
    },
    {
      name: 'appToken',
      label: 'App-Level Token',
      placeholder: 'xapp-…',
      secret: true,
      help: 'Basic Information → App-Level Tokens: generate one with the `connections:write` scope, then turn on Socket Mode.',
    },
    {
      name: 'allowedUserIds',
      label: 'Only take messages from',
      placeholder: 'U01ABCDEF, U02GHIJKL',
      help: 'Optional. Slack member IDs (profile → ⋯ → Copy member ID), separated by commas. Leave empty to take messages from everyone.',
    },
  ]),
  webhookUrl: {
    label: 'Request URL',
    help: `Paste it in Event Subscriptions → Request URL (Parley answers Slack's challenge), and subscribe to the bot events ${SLACK_BOT_EVENTS.map((e) => `\`${e}\``).join(', ')}.`,
  },
  docs: [
    { label: 'Your Slack apps', href: 'https://api.slack.com/apps' },
    { label: 'Events API', href: 'https://api.slack.com/apis/events-api' },
    { label: 'Socket Mode', href: 'https://api.slack.com/apis/socket-mode' },
  ],
};

export const twilioSetup: ProviderSetup = {
  provider: 'TWILIO',
  label: 'Twilio',
  summary: 'SMS and WhatsApp messages to your Twilio numbers, answered from the number the customer wrote to.',
  accountNoun: 'account',
  before: [
    'In the Twilio Console, Account Info shows the Account SID and the Auth Token. Use the live pair, not the test credentials.',
    'Have the number customers text ready, and your WhatsApp sender number if you use WhatsApp.',
  ],
  fields: fields([
    {
      name: 'accountSid',
      label: 'Account SID',
      placeholder: 'AC…',
      required: true,
      autocomplete: 'off',
      help: 'Twilio Console → Account Info. It starts with `AC`.',
    },
    {
      name: 'authToken',
      label: 'Auth Token',
      secret: true,
      required: true,
      help: 'Twilio Console → Account Info, next to the Account SID.',
    },
    {
      name: 'smsNumber',
      label: 'SMS number',
      placeholder: '+14155550100',
      type: 'tel',
      help: 'The number customers text, in international form.',
    },
    {
      name: 'whatsappNumber',
      label: 'WhatsApp sender',
      placeholder: '+14155550111',
      type: 'tel',
      help: 'Your WhatsApp sender number, without the `whatsapp:` prefix. Give at least one of the two numbers.',
    },
  ]),
  webhookUrl: {
    label: 'Webhook URL',
    help: 'Paste it in the number\'s Messaging Configuration → A message comes in (Webhook, HTTP POST), and in the WhatsApp sender\'s Webhook URL for incoming messages. Delivery reports need no setting.',
  },
  docs: [
    { label: 'Twilio Console', href: 'https://console.twilio.com/' },
    { label: 'Messaging webhooks', href: 'https://www.twilio.com/docs/usage/webhooks/messaging-webhooks' },
  ],
};

export const sendGridSetup: ProviderSetup = {
  provider: 'SENDGRID',
  label: 'SendGrid',
  summary: 'Email to your support address, with replies threaded back to the customer from your own sender.',
  accountNoun: 'sender',
  before: [
    'Settings → API Keys → Create API Key, with Restricted Access and Mail Send on (Full Access works too).',
    'Verify the address replies come from under Sender Authentication, ideally by authenticating its domain.',
    'Pick a host for incoming mail, e.g. `reply.example.com`, and point its MX record at `mx.sendgrid.net`.',
  ],
  fields: fields([
    {
      name: 'apiKey',
      label: 'API Key',
      placeholder: 'SG.…',
      secret: true,
      required: true,
      help: 'Settings → API Keys. Parley checks that it may send mail. It starts with `SG.`',
    },
    {
      name: 'fromEmail',
      label: 'From Email Address',
      placeholder: 'support@example.com',
      type: 'email',
      required: true,
      autocomplete: 'off',
      help: 'A verified sender (Sender Authentication): replies come from this address.',
    },
    {
      name: 'fromName',
      label: 'From Name',
      placeholder: 'Example Support',
      autocomplete: 'off',
      help: 'Optional. The name customers see on replies.',
    },
    {
      name: 'inboundDomain',
      label: 'Receiving Domain',
      placeholder: 'reply.example.com',
      required: true,
      autocomplete: 'off',
      help: 'The Inbound Parse host whose MX record points at `mx.sendgrid.net`. Reply-To addresses live here.',
    },
    {
      name: 'webhookPublicKey',
      label: 'Verification Key',
      help: 'Optional. Mail Settings → Event Webhook → Signed Event Webhook. When given, Parley refuses unsigned posts. Left empty on a reconnect, the current key is kept.',
    },
  ]),
  webhookUrl: {
    label: 'Inbound Parse URL',
    help: 'Settings → Inbound Parse → Add Host & URL: your receiving domain and this Destination URL. Leave "POST the raw, full MIME message" off, and forward your support address to an address at that host. The URL carries a secret: treat it like a password.',
  },
  statusWebhookUrl: {
    label: 'Event Webhook URL',
    help: 'Optional, for delivery status: Mail Settings → Event Webhook → HTTP Post URL, with the events Delivered, Bounced, Dropped and Opened.',
  },
  docs: [
    { label: 'SendGrid API keys', href: 'https://app.sendgrid.com/settings/api_keys' },
    { label: 'Inbound Parse', href: 'https://app.sendgrid.com/settings/parse' },
    { label: 'Event Webhook', href: 'https://app.sendgrid.com/settings/mail_settings' },
  ],
};

/** In the order the settings page shows them. */
export const providerSetups: readonly ProviderSetup[] = [slackSetup, twilioSetup, sendGridSetup];

export function setupFor(provider: Provider): ProviderSetup {
  const found = providerSetups.find((p) => p.provider === provider);
  if (!found) throw new Error(`No setup for provider ${provider}`);
  return found;
}

/** A field's spec, for templates: throws on a name the registry lacks, so a typo fails loudly in development. */
export function fieldOf(setup: ProviderSetup, name: string): SetupFieldSpec {
  const f = setup.fields[name];
  if (!f) throw new Error(`${setup.label} has no setup field ${name}`);
  return f;
}

/** Names of the credential fields, which the forms clear after connecting. */
export function secretFieldNames(setup: ProviderSetup): string[] {
  return Object.values(setup.fields)
    .filter((f) => f.secret)
    .map((f) => f.name);
}

export type InlineSegment = { text: string; code: boolean };

/** Splits help text on `backticks` into plain and code runs (an unmatched backtick stays text). */
export function inlineSegments(text: string): InlineSegment[] {
  const out: InlineSegment[] = [];
  const re = /`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), code: false });
    out.push({ text: m[1]!, code: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), code: false });
  return out;
}
