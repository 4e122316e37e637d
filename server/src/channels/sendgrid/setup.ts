// Checking a SendGrid API key before anything is stored: it must be valid and
// allowed to send mail (its scopes include mail.send).
import { httpStatus, sendgridClient, sendgridMessage } from './client.ts';

export class SendGridSetupError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL = /^[^\s@<>]+@([^\s@<>]+)$/;

export function checkEmail(raw: string): string {
  const v = raw.trim().toLowerCase();
  const m = EMAIL.exec(v);
  if (!m || !DOMAIN.test(m[1]!)) throw new SendGridSetupError(`"${raw}" is not an email address: give the verified sender address replies come from.`, 'fromEmail');
  return v;
}

export function checkDomain(raw: string): string {
  const v = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN.test(v)) throw new SendGridSetupError(`"${raw}" is not a host name: give the host of your Inbound Parse setting, e.g. reply.example.com.`, 'inboundDomain');
  return v;
}

export async function checkApiKey(apiKey: string, apiUrl: string): Promise<void> {
  if (!apiKey.startsWith('SG.')) throw new SendGridSetupError('A SendGrid API key starts with "SG.": create one under Settings, API Keys.', 'apiKey');
  let scopes: string[];
  try {
    const [, body] = await sendgridClient(apiKey, apiUrl).request({ method: 'GET', url: '/v3/scopes' });
    scopes = Array.isArray((body as { scopes?: unknown })?.scopes) ? ((body as { scopes: string[] }).scopes) : [];
  } catch (err) {
    const status = httpStatus(err);
    if (status === 401 || status === 403) throw new SendGridSetupError(`SendGrid rejected the API key (${sendgridMessage(err)}): create a new one under Settings, API Keys, and paste it whole.`, 'apiKey');
    throw new SendGridSetupError(`Could not reach SendGrid to check the API key: ${sendgridMessage(err)}`, 'apiKey');
  }
  if (!scopes.includes('mail.send')) throw new SendGridSetupError('This API key cannot send mail: give it the Mail Send permission (Settings, API Keys, Restricted Access).', 'apiKey');
}
