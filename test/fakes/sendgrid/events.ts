// Event Webhook payload builders. Each event is one flat JSON object per
// recipient: the custom_args of the send (message-level merged with the
// personalization's, personalization winning) appear as top-level keys beside
// SendGrid's own, which is how a receiver maps an event back to its record.
// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
// sendgrid/sendgrid-nodejs docs/examples/webhooks-docker/example-event-notification.txt
import { newEventId, sgMessageId, smtpId } from './ids.ts';
import type { SentMail } from './state.ts';

export type EventType = 'processed' | 'deferred' | 'delivered' | 'open' | 'click' | 'bounce' | 'dropped' | 'spamreport' | 'unsubscribe';

export interface EventInput {
  /** The recipient this event is about. */
  email: string;
  /** The X-Message-Id mail/send answered (SentMail.messageId); sg_message_id and smtp-id derive from it. */
  messageId: string;
  /** Epoch seconds (default now). */
  timestamp?: number;
  customArgs?: Record<string, string>;
  category?: string | string[];
  /** bounce / dropped / deferred: the receiving server's (or SendGrid's) reason. */
  reason?: string;
  /** bounce / dropped: enhanced SMTP status, e.g. '5.1.1'. */
  status?: string;
  /** bounce: 'bounce' for a rejected recipient, 'blocked' for a rejected message (often temporary). */
  type?: 'bounce' | 'blocked';
  /** delivered / deferred: the receiving server's SMTP reply. */
  response?: string;
  /** deferred: delivery attempt number. */
  attempt?: number;
  /** click: the link followed. */
  url?: string;
  /** Overrides the generated values (e.g. to replay one event with its original id). */
  sgEventId?: string;
  sgMessageId?: string;
  smtpId?: string;
}

export type SendGridEvent = {
  email: string;
  timestamp: number;
  event: EventType;
  sg_event_id: string;
  sg_message_id: string;
  'smtp-id'?: string;
  category?: string | string[];
} & Record<string, unknown>;

// Engagement events come from the recipient's client, not the MTA, and carry
// no smtp-id.
const MTA_EVENTS = new Set<EventType>(['processed', 'deferred', 'delivered', 'bounce', 'dropped']);
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';

function typeFields(type: EventType, input: EventInput): Record<string, unknown> {
  switch (type) {
    case 'delivered':
      return { response: input.response ?? '250 2.0.0 OK  1700000000 x1-20020a05600c000000b004000000000si000000wmq.100 - gsmtp', tls: 1, ip: '149.72.123.24' };
    case 'deferred':
      return { response: input.response ?? '421 4.7.0 Try again later', attempt: String(input.attempt ?? 1), tls: 1, ip: '149.72.123.24' };
    case 'bounce': {
      const bounceType = input.type ?? 'bounce';
      return {
        reason: input.reason ?? "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
        status: input.status ?? '5.1.1',
        type: bounceType,
        bounce_classification: bounceType === 'blocked' ? 'Reputation' : 'Invalid Address',
        tls: 1,
        ip: '149.72.123.24',
      };
    }
    case 'dropped':
      return { reason: input.reason ?? 'Bounced Address', status: input.status ?? '5.0.0' };
    case 'open':
      return { sg_machine_open: false, useragent: BROWSER, ip: '203.0.113.7' };
    case 'click':
      return { url: input.url ?? 'https://example.com/', url_offset: { index: 0, type: 'html' }, useragent: BROWSER, ip: '203.0.113.7' };
    default:
      return {};
  }
}

/** One event. Custom args go first so that a clashing name cannot corrupt SendGrid's own keys. */
export function event(type: EventType, input: EventInput): SendGridEvent {
  const built: SendGridEvent = {
    ...input.customArgs,
    email: input.email,
    timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
    event: type,
    sg_event_id: input.sgEventId ?? newEventId(),
    sg_message_id: input.sgMessageId ?? sgMessageId(input.messageId),
    ...typeFields(type, input),
  };
  if (MTA_EVENTS.has(type)) built['smtp-id'] = input.smtpId ?? smtpId(input.messageId);
  if (input.category !== undefined) built.category = input.category;
  return built;
}

/**
 * The events SendGrid would post for an accepted send: one per recipient
 * (to, cc and bcc of every personalization), each with that recipient's
 * merged custom_args and the send's categories.
 */
export function eventsForMail(mail: SentMail, type: EventType, extra: Partial<Omit<EventInput, 'email' | 'messageId'>> = {}): SendGridEvent[] {
  const { body } = mail;
  return (body.personalizations ?? []).flatMap((p) =>
    [...(p.to ?? []), ...(p.cc ?? []), ...(p.bcc ?? [])].map((recipient) =>
      event(type, {
        // v3 sends categories as an array, and the webhook echoes the shape it was given.
        ...(body.categories && body.categories.length > 0 ? { category: body.categories } : {}),
        ...extra,
        email: recipient.email,
        messageId: mail.messageId,
        customArgs: { ...body.custom_args, ...p.custom_args, ...extra.customArgs },
      }),
    ),
  );
}
