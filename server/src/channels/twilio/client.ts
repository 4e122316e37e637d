// The official twilio client, pointed at TWILIO_API_URL, and its errors in the
// pipeline's terms (permanent / transient / broken credentials).
import twilio from 'twilio';
import { DeliveryError } from '../types.ts';
import { twilioReason } from './errors.ts';

export type TwilioClient = ReturnType<typeof twilio>;

export const DEFAULT_TWILIO_API_URL = 'https://api.twilio.com';

export function twilioClient(accountSid: string, authToken: string, apiUrl: string): TwilioClient {
  const custom = apiUrl.replace(/\/+$/, '') !== DEFAULT_TWILIO_API_URL;
  // TWILIO_REGION / TWILIO_EDGE rewrite host names: right for api.twilio.com, wrong for a local or proxy URL.
  const client = twilio(accountSid, authToken, { timeout: 15_000, ...(custom ? { region: '', edge: '' } : {}) });
  client.api.baseUrl = apiUrl.replace(/\/+$/, '');
  return client;
}

interface RestError {
  status?: number;
  code?: number | string;
  message?: string;
}

function isRestError(err: unknown): err is RestError & { status: number } {
  return typeof (err as RestError)?.status === 'number';
}

/** Our code for an error: Twilio's numeric code, else the HTTP status, else the network error. */
export function twilioErrorCode(err: unknown): string {
  if (isRestError(err)) return String(err.code ?? err.status);
  return String((err as { code?: string })?.code ?? 'network_error');
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (!isRestError(err)) {
    return new DeliveryError(twilioErrorCode(err), `Could not reach Twilio: ${(err as Error)?.message ?? String(err)}.`, { permanent: false });
  }
  const code = twilioErrorCode(err);
  const reason = twilioReason(err.code, err.message);
  if (err.status === 401 || err.code === 20003) return new DeliveryError(code, reason, { permanent: true, integrationBroken: true });
  if (err.status === 429 || err.status >= 500) return new DeliveryError(code, reason, { permanent: false });
  return new DeliveryError(code, reason, { permanent: true });
}
