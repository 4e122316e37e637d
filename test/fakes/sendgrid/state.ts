// In-memory SendGrid account: API keys and their scopes, plus everything the
// fake records (calls, accepted mail) and the failures a test asked it to
// inject.
import type { IncomingHttpHeaders } from 'node:http';

export interface ApiKeySpec {
  /** The secret as SendGrid shows it once at creation: 'SG.<id>.<secret>'. */
  key: string;
  /** Permission scopes, e.g. ['mail.send']; GET /v3/scopes answers them in this order. */
  scopes: string[];
}

export interface SentMail {
  /** The X-Message-Id answered (the prefix of every sg_message_id in this mail's events). */
  messageId: string;
  apiKey: string;
  /** The JSON payload exactly as posted (snake_case, as @sendgrid/mail serialises it). */
  body: MailSendBody;
  /** HTTP request headers, lower-cased by node. */
  headers: IncomingHttpHeaders;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

/** The parts of a v3 mail/send payload the fake looks at; anything else passes through untouched. */
export interface MailSendBody {
  personalizations?: Personalization[];
  from?: EmailObject;
  reply_to?: EmailObject;
  reply_to_list?: EmailObject[];
  subject?: string;
  content?: { type: string; value: string }[];
  attachments?: { content: string; filename: string; type?: string; disposition?: string; content_id?: string }[];
  template_id?: string;
  headers?: Record<string, string>;
  categories?: string[];
  custom_args?: Record<string, string>;
  [field: string]: unknown;
}
export interface Personalization {
  to?: EmailObject[];
  cc?: EmailObject[];
  bcc?: EmailObject[];
  subject?: string;
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
  [field: string]: unknown;
}
export interface EmailObject {
  email: string;
  name?: string;
}

export interface RecordedCall {
  method: string;
  /** URL path without the query string, e.g. '/v3/mail/send'. */
  path: string;
  /** The bearer key used, if any. */
  apiKey: string | undefined;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** HTTP status answered; 0 when the fake dropped the connection instead (lostResponse). */
  status: number;
}

export type FailOp = 'mail.send' | 'scopes';

export interface ErrorItem {
  message: string;
  field?: string | null;
  help?: string | null;
}

/**
 * What failNext injects. `lostResponse` models the worst case for a sender:
 * SendGrid accepted and will deliver the mail, but the connection died before
 * the 202 arrived, so a client that retries sends it twice.
 */
export interface Failure {
  status: number;
  /** Body errors; a default message for the status otherwise. */
  errors?: ErrorItem[];
  /** Adds Retry-After (and the matching X-RateLimit-Reset), as SendGrid's 429s carry. */
  retryAfterSeconds?: number;
  lostResponse?: boolean;
}

export class SendGridState {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMail[] = [];
  private readonly keys = new Map<string, ApiKeySpec>();
  private readonly revoked = new Set<string>();
  private readonly failures = new Map<FailOp, Failure[]>();

  addKey(spec: ApiKeySpec): void {
    this.keys.set(spec.key, { key: spec.key, scopes: [...spec.scopes] });
    this.revoked.delete(spec.key);
  }

  revokeKey(key: string): void {
    this.revoked.add(key);
  }

  /** The key's spec, or undefined when SendGrid would not know it (never added, or revoked). */
  lookupKey(key: string): ApiKeySpec | undefined {
    if (this.revoked.has(key)) return undefined;
    return this.keys.get(key);
  }

  failNext(op: FailOp, failure: Failure, times = 1): void {
    const queue = this.failures.get(op) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(op, queue);
  }

  /** The injected failure for this call of `op`, consuming it. */
  takeFailure(op: FailOp): Failure | undefined {
    return this.failures.get(op)?.shift();
  }
}
