// Every environment variable Parley reads, parsed and validated once at start.
// An invalid value stops the process with one line naming the variable and
// what is expected (see ConfigError and main.ts).
import { parseKeyRing, type KeyRing } from './security/keyring.ts';
import { defaultDataDir } from './paths.ts';

export type Role = 'all' | 'web' | 'worker';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** Unset: an embedded PostgreSQL is started under dataDir. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  publicUrl: string;
  /** Unset: a key is generated once into dataDir (see security/keyring.ts). */
  keyRing: KeyRing | undefined;
  debounceSeconds: number;
  /** First retry delay of a failed delivery; doubles per attempt (capped at 60 s). */
  deliveryBackoffSeconds: number;
  slackApiUrl: string;
  twilioApiUrl: string;
  sendgridApiUrl: string;
  role: Role;
  logLevel: LogLevel;
  dataDir: string;
  sessionTtlHours: number;
  /** Trust X-Forwarded-For for the client address (only behind your own proxy). */
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  /** Largest attachment whose content is kept (email files); larger ones keep their name and size only. */
  maxAttachmentBytes: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
    got: string,
  ) {
    super(`${variable} must be ${expected} (got ${JSON.stringify(got)})`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === '' ? undefined : v;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < min || n > max) throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  return n;
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `a number from ${min} to ${max}`, raw);
  return n;
}

function httpUrl(env: Env, name: string, fallback: string, opts: { trailingSlash?: boolean } = {}): string {
  const raw = value(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'an absolute http(s) URL', raw);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, 'an absolute http(s) URL', raw);
  const text = url.toString();
  if (opts.trailingSlash) return text.endsWith('/') ? text : `${text}/`;
  return text.replace(/\/+$/, '');
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(name, `one of ${allowed.join(', ')}`, raw);
  return raw as T;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, 'true or false', raw);
}

function databaseUrl(env: Env): string | undefined {
  const raw = value(env, 'DATABASE_URL');
  if (raw === undefined) return undefined;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new ConfigError('DATABASE_URL', 'a postgresql:// connection URL', redactUrl(raw));
  try {
    new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'a postgresql:// connection URL', redactUrl(raw));
  }
  return raw;
}

/** Never echo a password back, even in a start-up error. */
function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 4000, 0, 65535);
  const keyRaw = value(env, 'PARLEY_ENCRYPTION_KEY');
  let keyRing: KeyRing | undefined;
  if (keyRaw !== undefined) {
    try {
      keyRing = parseKeyRing(keyRaw);
    } catch (err) {
      throw new ConfigError('PARLEY_ENCRYPTION_KEY', `a base64 32-byte key, or a comma-separated key ring "id:key,..." with the newest first (${(err as Error).message})`, '***');
    }
  }
  return {
    databaseUrl: databaseUrl(env),
    port,
    host: value(env, 'HOST') ?? '0.0.0.0',
    publicUrl: httpUrl(env, 'PUBLIC_URL', `http://localhost:${port}`),
    keyRing,
    debounceSeconds: number(env, 'DEBOUNCE_SECONDS', 30, 0, 86_400),
    deliveryBackoffSeconds: number(env, 'DELIVERY_BACKOFF_SECONDS', 2, 0, 3_600),
    slackApiUrl: httpUrl(env, 'SLACK_API_URL', 'https://slack.com/api/', { trailingSlash: true }),
    twilioApiUrl: httpUrl(env, 'TWILIO_API_URL', 'https://api.twilio.com'),
    sendgridApiUrl: httpUrl(env, 'SENDGRID_API_URL', 'https://api.sendgrid.com'),
    role: oneOf(env, 'PARLEY_ROLE', ['all', 'web', 'worker'] as const, 'all'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    dataDir: value(env, 'PARLEY_DATA_DIR') ?? defaultDataDir,
    sessionTtlHours: number(env, 'SESSION_TTL_HOURS', 24 * 30, 0.001, 24 * 365),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 15_000, 0, 600_000),
    maxAttachmentBytes: number(env, 'MAX_ATTACHMENT_MB', 10, 0, 30) * 1024 * 1024,
  };
}
