// In-memory Twilio: accounts with their credentials and numbers, the messages
// they sent, everything the fake records, and the failures a test asked it to
// inject.
import { E164, bareNumber } from './addresses.ts';

export type AccountStatus = 'active' | 'suspended' | 'closed';

export interface AccountSpec {
  /** 'AC' + 32 hex digits. */
  sid: string;
  authToken: string;
  friendlyName: string;
  /** Default 'active'. The account resource reports it; only active accounts may send. */
  status?: AccountStatus;
  /** Default 'Full' (a 'Trial' account behaves the same here). */
  type?: 'Full' | 'Trial';
  /**
   * E.164 numbers the account owns ('+15550001111'). Each may send SMS, and
   * WhatsApp as 'whatsapp:<number>': a WhatsApp sender is a number too.
   */
  numbers?: string[];
}

/** A live record: changing `status` or `authToken` in a test changes how the fake answers. */
export interface Account {
  sid: string;
  authToken: string;
  friendlyName: string;
  status: AccountStatus;
  type: 'Full' | 'Trial';
  numbers: string[];
  dateCreated: Date;
}

/** Statuses a status callback can report (the message resource also goes through 'sending'). */
export type CallbackStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';
export type MessageStatus = CallbackStatus | 'accepted' | 'sending';

export interface SentMessage {
  sid: string;
  accountSid: string;
  /** As given to the API, e.g. '+15550001111' or 'whatsapp:+15550001111'. */
  from: string;
  to: string;
  body: string;
  statusCallback?: string;
  mediaUrls: string[];
  /** 'queued' when accepted; sendStatus moves it on. */
  status: MessageStatus;
  createdAt: Date;
}

/** What the message resource needs beyond what tests look at. */
export interface StoredMessage {
  sent: SentMessage;
  numSegments: number;
  errorCode: number | null;
  dateUpdated: Date;
  dateSent: Date | null;
}

export type FailableOp = 'accounts.fetch' | 'messages.create' | 'messages.list' | 'messages.fetch';

/**
 * What failNext injects. By default an error answer with Twilio's error body
 * (code defaults to Twilio's generic one for the status: 20429 for 429, 20500
 * for 500, 20003 for 401...). With `lostResponse` the request is carried out
 * (a message is accepted and recorded) but the connection is destroyed before
 * any answer, which is what a crash or network cut looks like to the client.
 */
export interface Failure {
  status: number;
  code?: number;
  message?: string;
  /** Sent as a Retry-After header (seconds). */
  retryAfterSeconds?: number;
  lostResponse?: boolean;
}

export interface RecordedCall {
  method: string;
  /** URL path without the query string, e.g. '/2010-04-01/Accounts/AC.../Messages.json'. */
  path: string;
  /** The API operation the path maps to, when it maps to one. */
  op?: FailableOp;
  /** The account whose credentials were accepted; absent when authentication failed. */
  accountSid?: string;
  /** Form parameters (POST) or query parameters (GET); a repeated one (MediaUrl) is an array. */
  params: Record<string, string | string[]>;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** HTTP status answered; 0 when the connection was dropped instead (lostResponse). */
  status: number;
}

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;

export class TwilioState {
  readonly accounts = new Map<string, Account>();
  readonly messages = new Map<string, StoredMessage>();
  readonly sent: SentMessage[] = [];
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<FailableOp, Failure[]>();
  private readonly delays = new Map<FailableOp, number>();

  addAccount(spec: AccountSpec): Account {
    if (!ACCOUNT_SID.test(spec.sid)) throw new Error(`fake twilio: account sid must be 'AC' + 32 lowercase hex digits, got ${spec.sid}`);
    if (this.accounts.has(spec.sid)) throw new Error(`fake twilio: account ${spec.sid} already exists`);
    const numbers = (spec.numbers ?? []).map(bareNumber);
    for (const n of numbers) if (!E164.test(n)) throw new Error(`fake twilio: ${n} is not an E.164 number`);
    const account: Account = {
      sid: spec.sid,
      authToken: spec.authToken,
      friendlyName: spec.friendlyName,
      status: spec.status ?? 'active',
      type: spec.type ?? 'Full',
      numbers,
      dateCreated: new Date(),
    };
    this.accounts.set(account.sid, account);
    return account;
  }

  /** The account these Basic credentials belong to, if they are right. */
  authenticate(username: string | undefined, password: string | undefined): Account | undefined {
    if (!username || password === undefined) return undefined;
    const account = this.accounts.get(username);
    return account && account.authToken === password ? account : undefined;
  }

  recordMessage(message: StoredMessage): void {
    this.messages.set(message.sent.sid, message);
    this.sent.push(message.sent);
  }

  failNext(op: FailableOp, failure: Failure, times = 1): void {
    const queue = this.failures.get(op) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(op, queue);
  }

  delay(op: FailableOp, ms: number): void {
    if (ms > 0) this.delays.set(op, ms);
    else this.delays.delete(op);
  }

  delayFor(op: FailableOp): number {
    return this.delays.get(op) ?? 0;
  }

  /** The injected failure for this call of `op`, consuming it. */
  takeFailure(op: FailableOp): Failure | undefined {
    return this.failures.get(op)?.shift();
  }
}
