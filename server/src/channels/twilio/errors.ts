// Twilio's error codes, as people need to read them. Twilio reports them on
// failed API calls (RestException.code) and in status callbacks (ErrorCode).
// https://www.twilio.com/docs/api/errors
const REASONS: Record<string, string> = {
  '20003': 'Twilio rejected the Account SID and auth token.',
  '20404': 'Twilio does not know this resource.',
  '20429': 'Twilio is rate limiting requests.',
  '21211': 'The customer\'s number is not a valid phone number.',
  '21408': 'Messaging to this country is not enabled on the Twilio account (Geo permissions).',
  '21602': 'The message is empty.',
  '21606': 'The sending number is not an SMS-capable number of this Twilio account.',
  '21608': 'Trial accounts can only send to verified numbers.',
  '21610': 'The customer replied STOP: Twilio will not send to them until they reply START.',
  '21612': 'Twilio cannot route messages between these two numbers.',
  '21614': 'The customer\'s number cannot receive SMS (it is not a mobile number).',
  '21617': 'The message is longer than 1600 characters.',
  '21910': 'The sender and recipient are not on the same channel (WhatsApp and SMS mixed).',
  '30001': 'Twilio\'s queue overflowed: too many messages at once.',
  '30002': 'The Twilio account is suspended.',
  '30003': 'The customer\'s phone is unreachable (switched off or out of coverage).',
  '30004': 'The customer blocked messages from this number.',
  '30005': 'The customer\'s number is unknown to their carrier (it may no longer exist).',
  '30006': 'The number is a landline or its carrier cannot receive messages.',
  '30007': 'The carrier filtered the message as spam.',
  '30008': 'The carrier reported an unknown error.',
  '30034': 'The message came from a US 10DLC number that is not registered for A2P messaging.',
  '63003': 'WhatsApp: the customer\'s number is not on WhatsApp.',
  '63016': 'WhatsApp: more than 24 hours since the customer\'s last message, so only an approved template may be sent.',
  '63018': 'WhatsApp: rate limit for this sender exceeded.',
};

/** A sentence for a Twilio error code, with the code for looking it up. */
export function twilioReason(code: string | number | null | undefined, fallback?: string | null): string {
  const key = code == null ? '' : String(code);
  const text = REASONS[key] ?? (fallback?.trim() || 'Twilio reported an error.');
  return key ? `${text} (Twilio error ${key})` : text;
}
