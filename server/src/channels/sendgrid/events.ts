// SendGrid's Event Webhook: a JSON array of events. Those about our replies
// carry our message id back (custom_args are copied onto each event).
// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
import type { StatusUpdate } from '../types.ts';
import { WebhookError } from '../types.ts';

export const MESSAGE_ID_ARG = 'parley_message_id';

interface SendGridEvent {
  event?: string;
  reason?: string;
  response?: string;
  status?: string;
  type?: string;
  [key: string]: unknown;
}

function failure(e: SendGridEvent, what: string): Pick<StatusUpdate, 'errorCode' | 'error'> {
  const detail = (e.reason ?? e.response ?? '').toString().trim();
  return { errorCode: e.status ? `${e.event}:${e.status}` : (e.event ?? 'failed'), error: detail ? `${what}: ${detail}` : what };
}

function toUpdate(e: SendGridEvent): StatusUpdate | null {
  const messageId = e[MESSAGE_ID_ARG];
  if (typeof messageId !== 'string') return null;
  switch (e.event) {
    case 'delivered':
      return { messageId, status: 'DELIVERED' };
    case 'open':
      // Apple Mail Privacy Protection and the like fetch every image on arrival: that is no reading.
      return e.sg_machine_open === true ? null : { messageId, status: 'READ' };
    case 'bounce':
      return { messageId, status: 'FAILED', ...failure(e, e.type === 'blocked' ? 'The receiving server blocked the email' : 'The email bounced') };
    case 'dropped':
      return { messageId, status: 'FAILED', ...failure(e, 'SendGrid dropped the email') };
    default:
      // processed, deferred (SendGrid keeps trying), click, spamreport...: no change of delivery status.
      return null;
  }
}

export function eventUpdates(rawBody: Buffer): StatusUpdate[] {
  let events: unknown;
  try {
    events = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookError(400, 'The Event Webhook body is not JSON.');
  }
  if (!Array.isArray(events)) throw new WebhookError(400, 'The Event Webhook body must be a JSON array of events.');
  return events.flatMap((e) => {
    const update = e && typeof e === 'object' ? toUpdate(e as SendGridEvent) : null;
    return update ? [update] : [];
  });
}
