// SendGrid's v3 error bodies: `{"errors":[{...}]}`. Account-level errors
// (auth, scopes, rate limits) carry `field: null` and no help; mail/send
// validation errors carry the offending field's path and a link into the
// errors page. @sendgrid/client surfaces the body as ResponseError.response.body.
// https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors
import type { ErrorItem } from './state.ts';

export interface ErrorBody {
  errors: ErrorItem[];
}

/** The `{ field: null, message }` shape (field first, as SendGrid orders it). */
export const accountError = (message: string): ErrorBody => ({ errors: [{ field: null, message }] });

export const INVALID_KEY = 'The provided authorization grant is invalid, expired, or revoked';
export const NO_AUTH = 'authorization required';
export const FORBIDDEN = 'access forbidden';

/** Bodies for failNext statuses given without explicit errors. */
export function defaultErrorFor(status: number): ErrorBody {
  switch (status) {
    case 400:
      return { errors: [{ message: 'Bad Request', field: null, help: null }] };
    case 401:
      return accountError(INVALID_KEY);
    case 403:
      return accountError(FORBIDDEN);
    case 404:
      return accountError('resource not found');
    case 413:
      return accountError('The JSON payload you have included in your request is too large.');
    case 429:
      return accountError('too many requests');
    case 503:
      return accountError('service unavailable');
    default:
      return accountError(status >= 500 ? 'internal error' : `HTTP ${status}`);
  }
}

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';

/** A mail/send validation error; `anchor` picks the section of the errors page the help link points at. */
export const fieldError = (field: string, message: string, anchor: string): ErrorItem => ({
  message,
  field,
  help: `${HELP}#message.${anchor}`,
});
