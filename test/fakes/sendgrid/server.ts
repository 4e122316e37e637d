// startFakeSendGrid(): one HTTP server on 127.0.0.1 (random port) answering
// the v3 endpoints Parley calls: GET /v3/scopes and POST /v3/mail/send.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleRequest } from './http.ts';
import { SendGridState, type ApiKeySpec, type FailOp, type Failure, type RecordedCall, type SentMail } from './state.ts';

export interface FakeSendGrid {
  /** http://127.0.0.1:<port>, the value for the client's baseUrl (SENDGRID_API_URL). */
  readonly url: string;
  readonly port: number;
  /** Every accepted /v3/mail/send, in order (including ones whose answer was lost). */
  readonly sent: SentMail[];
  /** Every request, in arrival order. */
  readonly calls: RecordedCall[];
  /** Registers (or re-enables) an API key with these scopes. */
  addKey(spec: ApiKeySpec): void;
  /** Later requests with the key get 401, as for a key deleted in SendGrid's console. */
  revokeKey(key: string): void;
  /**
   * The next `times` requests to `op` fail this way (queued after earlier
   * failNext calls). Status failures answer before authentication is checked;
   * lostResponse runs the request normally, recording the mail if it would
   * have been accepted, then drops the connection without answering.
   */
  failNext(op: FailOp, failure: Failure, times?: number): void;
  /** Stops the server, closing open connections. */
  close(): Promise<void>;
}

export async function startFakeSendGrid(): Promise<FakeSendGrid> {
  const state = new SendGridState();
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake sendgrid error: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sent: state.sent,
    calls: state.calls,
    addKey: (spec) => state.addKey(spec),
    revokeKey: (key) => state.revokeKey(key),
    failNext: (op, failure, times) => state.failNext(op, failure, times),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
