// Structured JSON logs (pino). Secrets are removed twice: known field names are
// redacted by path, and any remembered secret value is scrubbed from the line.
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.ts';
import { scrubSecrets } from './security/secret-scrubber.ts';

export type { Logger };

const SECRET_KEYS = [
  'password', 'passwordHash', 'token', 'botToken', 'appToken', 'signingSecret', 'authToken', 'apiKey', 'key',
  'secret', 'secrets', 'authorization', 'Authorization', 'cookie', 'ciphertext', 'connectionParams',
];

const redactPaths = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'variables.password',
];

/** Wraps the destination so every serialised line passes the scrubber. */
function scrubbing(dest: DestinationStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      dest.write(scrubSecrets(chunk.toString()));
      cb();
    },
  });
}

export function createLogger(level: LogLevel, dest?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'parley' },
      redact: { paths: redactPaths, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    scrubbing(dest ?? pino.destination({ fd: 1, sync: false })),
  );
}
