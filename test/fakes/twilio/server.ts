// startFakeTwilio(): one HTTP server on 127.0.0.1 (random port) answering the
// 2010-04-01 REST API at the paths twilio-node builds from client.api.baseUrl,
// and posting status callbacks back to the application like Twilio does.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleRequest } from './http.ts';
import { statusCallbackParams } from './payloads.ts';
import { postTwilioWebhook } from './signing.ts';
import {
  TwilioState,
  type Account,
  type AccountSpec,
  type CallbackStatus,
  type FailableOp,
  type Failure,
  type RecordedCall,
  type SentMessage,
} from './state.ts';

export interface SendStatusOptions {
  /** ErrorCode parameter, e.g. '30003' (unreachable handset) with 'undelivered'. */
  errorCode?: string;
  /** Where to post; default the message's StatusCallback. */
  url?: string;
  /** Sign over this URL instead of the one posted to (the public URL in front of a proxy). */
  signatureUrl?: string;
  /** Sign with the wrong key, as a forger would. */
  badSignature?: boolean;
}

export interface SendStatusResult {
  /** The application's answer. */
  status: number;
  body: string;
  /** The parameters posted. */
  params: Record<string, string>;
}

export interface FakeTwilio {
  /** http://127.0.0.1:<port>: set as client.api.baseUrl (the SDK appends /2010-04-01/...). */
  readonly url: string;
  readonly port: number;
  /** Every message accepted by messages.create, in order (live: sendStatus updates `status`). */
  readonly sent: SentMessage[];
  /** Every request, in arrival order. */
  readonly calls: RecordedCall[];
  addAccount(spec: AccountSpec): Account;
  /** The live record of an account: change its authToken, status or numbers to change how the fake answers. */
  account(sid: string): Account;
  /** The next `times` calls of `op` fail this way (queued after earlier failNext calls). */
  failNext(op: FailableOp, failure: Failure, times?: number): void;
  /** Every later call of `op` is carried out at once but answered `ms` later (0 removes the delay). */
  delay(op: FailableOp, ms: number): void;
  /**
   * Moves a sent message to `status` and posts the status callback, signed with
   * its account's auth token. Resolves with the application's answer; unlike
   * Twilio, it does not retry.
   */
  sendStatus(sid: string, status: CallbackStatus, opts?: SendStatusOptions): Promise<SendStatusResult>;
  /**
   * Moves a sent message to `status` (date_sent is set once it leaves 'queued')
   * without posting its status callback: a callback that is late or lost.
   */
  updateStatus(sid: string, status: CallbackStatus, opts?: { errorCode?: string }): SentMessage;
  /** Stops the server, closing every connection. */
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const state = new TwilioState();

  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake twilio error: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const storedMessage = (sid: string) => {
    const message = state.messages.get(sid);
    if (!message) throw new Error(`fake twilio: no message ${sid}`);
    return message;
  };

  const updateStatus = (sid: string, status: CallbackStatus, opts: { errorCode?: string } = {}): SentMessage => {
    const message = storedMessage(sid);
    const now = new Date();
    message.sent.status = status;
    message.dateUpdated = now;
    if (status !== 'queued' && !message.dateSent) message.dateSent = now;
    if (opts.errorCode !== undefined) message.errorCode = Number(opts.errorCode);
    return message.sent;
  };

  const sendStatus = async (sid: string, status: CallbackStatus, opts: SendStatusOptions = {}): Promise<SendStatusResult> => {
    const { sent } = storedMessage(sid);
    const target = opts.url ?? sent.statusCallback;
    if (!target) throw new Error(`fake twilio: message ${sid} was sent without a StatusCallback; pass opts.url`);
    const account = state.accounts.get(sent.accountSid)!;

    updateStatus(sid, status, opts.errorCode !== undefined ? { errorCode: opts.errorCode } : {});
    const now = storedMessage(sid).dateUpdated;
    const params = statusCallbackParams(sent, status, { errorCode: opts.errorCode, at: now });
    const res = await postTwilioWebhook(target, account.authToken, params, {
      ...(opts.signatureUrl !== undefined ? { signatureUrl: opts.signatureUrl } : {}),
      ...(opts.badSignature ? { badSignature: true } : {}),
    });
    return { status: res.status, body: res.body, params };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sent: state.sent,
    calls: state.calls,
    addAccount: (spec) => state.addAccount(spec),
    account: (sid) => {
      const account = state.accounts.get(sid);
      if (!account) throw new Error(`fake twilio: no account ${sid}`);
      return account;
    },
    failNext: (op, failure, times) => state.failNext(op, failure, times),
    delay: (op, ms) => state.delay(op, ms),
    sendStatus,
    updateStatus,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
