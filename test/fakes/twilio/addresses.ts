// Message addresses as Twilio's Messaging API takes them: an E.164 phone
// number, optionally with a channel prefix ("whatsapp:+15550001111"). The
// prefix, not the number, decides the channel, which is why the same number
// can be both an SMS number and a WhatsApp sender.
// https://www.twilio.com/docs/whatsapp/api#using-twilio-phone-numbers-with-whatsapp

export type Channel = 'sms' | 'whatsapp';

export interface Address {
  channel: Channel;
  /** The E.164 number without any prefix. */
  number: string;
}

/** E.164: "+", a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** The address, or undefined when Twilio would not accept it as one. */
export function parseAddress(raw: string): Address | undefined {
  const [channel, number] = raw.startsWith('whatsapp:') ? (['whatsapp', raw.slice('whatsapp:'.length)] as const) : (['sms', raw] as const);
  return E164.test(number) ? { channel, number } : undefined;
}

/** "whatsapp:+15550001111" or "+15550001111" → "whatsapp:+15550001111". */
export function asWhatsApp(raw: string): string {
  return raw.startsWith('whatsapp:') ? raw : `whatsapp:${raw}`;
}

/** The bare number of an address, prefix or not. */
export const bareNumber = (raw: string): string => (raw.startsWith('whatsapp:') ? raw.slice('whatsapp:'.length) : raw);

// Enough country codes for the geographic fields of inbound webhooks (Twilio
// sends an empty string when it has no data, which is what the rest get).
const COUNTRY_BY_PREFIX: [string, string][] = [
  ['+1', 'US'],
  ['+44', 'GB'],
  ['+33', 'FR'],
  ['+49', 'DE'],
  ['+34', 'ES'],
  ['+39', 'IT'],
  ['+31', 'NL'],
  ['+61', 'AU'],
  ['+55', 'BR'],
  ['+52', 'MX'],
  ['+91', 'IN'],
];

export function countryOf(number: string): string {
  return COUNTRY_BY_PREFIX.find(([prefix]) => number.startsWith(prefix))?.[1] ?? '';
}
