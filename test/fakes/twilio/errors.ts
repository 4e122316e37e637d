// Twilio's REST error body: {code, message, more_info, status}, the shape
// twilio-node turns into a RestException (status, code, message, moreInfo).
// Codes and messages below are Twilio's own.
// https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions
import { STATUS_CODES } from 'node:http';

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  /** Twilio adds a human explanation to some errors (e.g. 20003). */
  detail?: string;
}

export interface ApiError {
  status: number;
  body: TwilioErrorBody;
  headers?: Record<string, string>;
}

export function apiError(status: number, code: number, message: string, detail?: string): ApiError {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status, ...(detail ? { detail } : {}) },
  };
}

// Twilio's generic HTTP errors are 20000 + status (20403, 20404, 20429,
// 20500, 20503), except authentication, which is 20003.
export function defaultCode(status: number): number {
  return status === 401 ? 20003 : 20000 + status;
}

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Authenticate',
  429: 'Too Many Requests',
};

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error';
}

export const authenticate = (): ApiError => ({
  ...apiError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.'),
  // Basic auth challenge, as Twilio sends it.
  headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
});

/**
 * The fake's answer to a suspended or closed account trying to send: Twilio
 * refuses the credentials of an account that may not use its services.
 */
export const accountNotActive = (status: string): ApiError => ({
  ...apiError(401, 20003, 'Authenticate', `Account is ${status}.`),
  headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
});

export const notFound = (path: string): ApiError => apiError(404, 20404, `The requested resource ${path} was not found`);

export const methodNotAllowed = (method: string): ApiError => apiError(405, 20004, `Method not allowed: ${method}`);

// Messaging validation errors (POST /Messages.json).
export const toRequired = (): ApiError => apiError(400, 21604, "A 'To' phone number is required.");
export const fromRequired = (): ApiError => apiError(400, 21603, "A 'From' phone number is required.");
export const invalidTo = (to: string): ApiError => apiError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
export const invalidFrom = (from: string): ApiError =>
  apiError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`);
export const channelMismatch = (): ApiError => apiError(400, 21910, 'Invalid From and To pair. From and To should be of the same channel');
export const bodyRequired = (): ApiError => apiError(400, 21602, 'Message body is required.');
export const bodyTooLong = (): ApiError => apiError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
export const invalidMediaUrl = (url: string): ApiError => apiError(400, 21620, `Invalid media URL(s): ${url}`);
export const tooManyMedia = (): ApiError => apiError(400, 21623, 'Number of media files exceeds allowed limit.');
export const invalidStatusCallback = (url: string): ApiError => apiError(400, 21609, `Invalid StatusCallback url: ${url}`);
export const unknownMessagingService = (sid: string): ApiError => apiError(400, 21705, `The Messaging Service Sid ${sid} is invalid.`);
