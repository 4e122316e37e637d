// Checking Twilio credentials before anything is stored: fetch the account
// with them (what Twilio's console calls Account Info).
import { toE164 } from '../../phone.ts';
import { twilioClient, twilioErrorCode } from './client.ts';

export class TwilioSetupError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

export function checkAccountSid(sid: string): string {
  const v = sid.trim();
  if (!ACCOUNT_SID.test(v)) throw new TwilioSetupError('An Account SID is AC followed by 32 hex characters: copy it from the Twilio Console, Account Info.', 'accountSid');
  return v;
}

export function checkNumber(raw: string | null | undefined, field: 'smsNumber' | 'whatsappNumber'): string | null {
  if (raw == null || raw.trim() === '') return null;
  const stripped = raw.trim().replace(/^whatsapp:/i, '');
  const number = stripped.startsWith('+') ? toE164(stripped) : null;
  if (!number) throw new TwilioSetupError(`${field} must be a phone number in E.164 form, like +14155550100 (got "${raw}").`, field);
  return number;
}

export async function fetchAccount(accountSid: string, authToken: string, apiUrl: string): Promise<{ friendlyName: string }> {
  let account;
  try {
    account = await twilioClient(accountSid, authToken, apiUrl).api.v2010.accounts(accountSid).fetch();
  } catch (err) {
    const status = (err as { status?: number }).status;
    const code = twilioErrorCode(err);
    if (status === 401 || code === '20003') {
      throw new TwilioSetupError('Twilio rejected the Account SID and auth token (error 20003): copy both from the Twilio Console, Account Info. A test-credentials pair will not work.', 'authToken');
    }
    if (status === 404) throw new TwilioSetupError(`Twilio has no account ${accountSid} for these credentials.`, 'accountSid');
    throw new TwilioSetupError(`Could not reach Twilio to check the credentials: ${(err as Error).message}`, 'accountSid');
  }
  if (account.status !== 'active') throw new TwilioSetupError(`The Twilio account is ${account.status}: only an active account can send and receive messages.`, 'accountSid');
  return { friendlyName: account.friendlyName || accountSid };
}
