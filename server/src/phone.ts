// Phone numbers in one form everywhere (E.164), so a member's phone, a
// contact's phone and the number Twilio reports compare equal however they
// were typed.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * E.164 for a number given in international form ("+1 (415) 555-0100",
 * "0044 20 7946 0958", "+14155550100"); null when it is not a possible number.
 * Possible rather than valid: test ranges such as +1 555 01xx are not
 * assigned numbers, yet providers' sandboxes use them.
 */
export function toE164(raw: string): string | null {
  let s = raw.trim();
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+')) s = `+${s}`;
  const parsed = parsePhoneNumberFromString(s);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}
