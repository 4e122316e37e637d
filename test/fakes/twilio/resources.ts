// The JSON Twilio answers for its resources: snake_case, dates in RFC 2822,
// counts as strings, `uri` relative to https://api.twilio.com. twilio-node
// maps these to camelCase instance properties.
// https://www.twilio.com/docs/iam/api/account
// https://www.twilio.com/docs/messaging/api/message-resource
import { bareNumber } from './addresses.ts';
import type { Account, StoredMessage } from './state.ts';

export const API_VERSION = '2010-04-01';

/** "Thu, 24 Aug 2023 05:01:45 +0000", the format Twilio uses for date_* fields. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const ACCOUNT_SUBRESOURCES: [string, string][] = [
  ['addresses', 'Addresses'],
  ['conferences', 'Conferences'],
  ['signing_keys', 'SigningKeys'],
  ['transcriptions', 'Transcriptions'],
  ['connect_apps', 'ConnectApps'],
  ['sip', 'SIP'],
  ['authorized_connect_apps', 'AuthorizedConnectApps'],
  ['usage', 'Usage'],
  ['keys', 'Keys'],
  ['applications', 'Applications'],
  ['recordings', 'Recordings'],
  ['short_codes', 'SMS/ShortCodes'],
  ['calls', 'Calls'],
  ['notifications', 'Notifications'],
  ['incoming_phone_numbers', 'IncomingPhoneNumbers'],
  ['queues', 'Queues'],
  ['messages', 'Messages'],
  ['outgoing_caller_ids', 'OutgoingCallerIds'],
  ['available_phone_numbers', 'AvailablePhoneNumbers'],
  ['balance', 'Balance'],
];

export const accountPath = (sid: string): string => `/${API_VERSION}/Accounts/${sid}`;

export function accountResource(account: Account): Record<string, unknown> {
  const base = accountPath(account.sid);
  const created = rfc2822(account.dateCreated);
  return {
    // Twilio does return the token to a request authenticated with it.
    auth_token: account.authToken,
    date_created: created,
    date_updated: created,
    friendly_name: account.friendlyName,
    owner_account_sid: account.sid,
    sid: account.sid,
    status: account.status,
    subresource_uris: Object.fromEntries(ACCOUNT_SUBRESOURCES.map(([key, name]) => [key, `${base}/${name}.json`])),
    type: account.type,
    uri: `${base}.json`,
  };
}

// What Twilio bills per segment once a message is out; only the sign and
// format matter (a negative decimal string, five places).
const PRICE_PER_SEGMENT = { sms: 0.0079, whatsapp: 0.005 };

export function messageResource(message: StoredMessage): Record<string, unknown> {
  const { sent } = message;
  const base = `${accountPath(sent.accountSid)}/Messages/${sent.sid}`;
  const priced = !['accepted', 'queued', 'sending', 'failed'].includes(sent.status);
  const channel = sent.to !== bareNumber(sent.to) ? 'whatsapp' : 'sms';
  return {
    account_sid: sent.accountSid,
    api_version: API_VERSION,
    body: sent.body,
    date_created: rfc2822(sent.createdAt),
    date_sent: message.dateSent ? rfc2822(message.dateSent) : null,
    date_updated: rfc2822(message.dateUpdated),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: null,
    from: sent.from,
    messaging_service_sid: null,
    num_media: String(sent.mediaUrls.length),
    num_segments: String(message.numSegments),
    price: priced ? (-PRICE_PER_SEGMENT[channel] * message.numSegments).toFixed(5) : null,
    price_unit: 'USD',
    sid: sent.sid,
    status: sent.status,
    subresource_uris: { media: `${base}/Media.json` },
    to: sent.to,
    uri: `${base}.json`,
  };
}
