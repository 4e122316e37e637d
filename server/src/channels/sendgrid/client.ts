// The official SendGrid clients, one per call and key (the default exports are
// process-wide singletons: no good with one key per integration), pointed at
// SENDGRID_API_URL, and their errors in the pipeline's terms.
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { DeliveryError } from '../types.ts';

export function sendgridClient(apiKey: string, apiUrl: string): Client {
  const client = new Client();
  // setApiKey resets the base URL, so the base URL comes after it.
  client.setApiKey(apiKey);
  client.setDefaultRequest('baseUrl', apiUrl.replace(/\/+$/, ''));
  return client;
}

export function mailService(apiKey: string, apiUrl: string): MailService {
  const mail = new MailService();
  mail.setClient(sendgridClient(apiKey, apiUrl));
  mail.setTimeout(15_000);
  return mail;
}

interface ResponseErrorLike {
  code?: number | string;
  message?: string;
  response?: { headers?: Record<string, string | string[] | undefined>; body?: unknown };
}

/** SendGrid's own words: the messages of its `errors` array. */
export function sendgridMessage(err: unknown): string {
  const body = (err as ResponseErrorLike)?.response?.body as { errors?: { message?: string; field?: string | null }[] } | string | undefined;
  const errors = typeof body === 'object' && body ? body.errors : undefined;
  const text = errors?.map((e) => (e.field ? `${e.message} (${e.field})` : e.message)).filter(Boolean).join('; ');
  return text || (err as Error)?.message || String(err);
}

export function httpStatus(err: unknown): number | undefined {
  const code = (err as ResponseErrorLike)?.code;
  return typeof code === 'number' ? code : undefined;
}

function retryAfterMs(err: unknown): number | undefined {
  const headers = (err as ResponseErrorLike)?.response?.headers ?? {};
  const after = Number(headers['retry-after']);
  if (Number.isFinite(after) && after > 0) return after * 1000;
  // SendGrid's rate limit headers: when the window resets (epoch seconds).
  const reset = Number(headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - Date.now());
  return undefined;
}

export function toDeliveryError(err: unknown): DeliveryError {
  const status = httpStatus(err);
  if (status === undefined) {
    return new DeliveryError(String((err as { code?: string })?.code ?? 'network_error'), `Could not reach SendGrid: ${(err as Error)?.message ?? String(err)}.`, { permanent: false });
  }
  const message = sendgridMessage(err);
  const code = String(status);
  if (status === 401) return new DeliveryError(code, `SendGrid rejected the API key: ${message}`, { permanent: true, integrationBroken: true });
  if (status === 403) return new DeliveryError(code, `SendGrid refused to send with this API key (it needs the Mail Send permission, and the sender must be verified): ${message}`, { permanent: true, integrationBroken: true });
  if (status === 429 || status >= 500) {
    const after = retryAfterMs(err);
    return new DeliveryError(code, `SendGrid answered ${status}: ${message}`, { permanent: false, ...(after !== undefined ? { retryAfterMs: after } : {}) });
  }
  return new DeliveryError(code, `SendGrid refused the email: ${message}`, { permanent: true });
}
