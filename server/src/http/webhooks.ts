// /webhooks/<provider>/<integrationId>[/<subpath>]: find the integration,
// read the raw body (bounded), let its adapter verify and parse it, store
// what it yields, answer. No provider API call and no slow work happens here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { adapterForPath } from '../channels/registry.ts';
import { WebhookError } from '../channels/types.ts';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../db.ts';
import type { Integration } from '../generated/prisma/client.ts';
import type { Inbox } from '../inbox/inbox.ts';
import type { Logger } from '../logger.ts';
import type { CredentialStore } from '../security/credentials.ts';

export const DEFAULT_MAX_WEBHOOK_BODY = 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export interface WebhookDeps {
  config: Config;
  prisma: PrismaClient;
  credentials: CredentialStore;
  inbox: () => Inbox | undefined;
  log: Logger;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

/**
 * Integrations and their decrypted secrets, per app instance, keyed by the
 * integration row's updatedAt: every change to an integration's settings or
 * secrets (connect, reconnect, settings) updates that row in the same
 * transaction, so a request is checked against the current version with one
 * small query instead of reading the row, the credentials and decrypting them.
 * The status is always read fresh (a disconnected integration answers 410 at once).
 */
interface CachedIntegration {
  version: number;
  integration: Integration;
  secrets: Record<string, string>;
  usedAt: number;
}
const MAX_CACHED = 1_000;
const CACHE_IDLE_MS = 10 * 60_000;
const integrationCaches = new WeakMap<CredentialStore, Map<string, CachedIntegration>>();

type Head = { updatedAt: Date; status: Integration['status'] };
const headReads = new WeakMap<PrismaClient, Map<string, ((head: Head | undefined, err?: unknown) => void)[]>>();

/**
 * The integration's current version and status. Requests that arrive in the
 * same turn of the event loop share one query (read after all of them
 * arrived, so none sees an older state than it would alone).
 */
function readHead(prisma: PrismaClient, id: string): Promise<Head | undefined> {
  let waiting = headReads.get(prisma);
  if (!waiting) headReads.set(prisma, (waiting = new Map()));
  const pending = waiting;
  return new Promise((resolve, reject) => {
    const callback = (head: Head | undefined, err?: unknown) => (err ? reject(err) : resolve(head));
    const list = pending.get(id);
    if (list) {
      list.push(callback);
      return;
    }
    if (pending.size === 0) {
      setImmediate(() => {
        const batch = new Map(pending);
        pending.clear();
        prisma
          .$queryRawUnsafe<({ id: string } & Head)[]>('SELECT id, "updatedAt", status::text AS status FROM "Integration" WHERE id IN (SELECT json_array_elements_text($1::json))', JSON.stringify([...batch.keys()]))
          .then((rows) => {
            const byId = new Map(rows.map((r) => [r.id, r]));
            for (const [key, callbacks] of batch) for (const cb of callbacks) cb(byId.get(key));
          })
          .catch((err: unknown) => {
            for (const callbacks of batch.values()) for (const cb of callbacks) cb(undefined, err ?? new Error('integration look-up failed'));
          });
      });
    }
    pending.set(id, [callback]);
  });
}

async function currentIntegration(deps: WebhookDeps, id: string): Promise<{ integration: Integration; secrets: () => Promise<Record<string, string>> } | null> {
  const head = await readHead(deps.prisma, id);
  if (!head) return null;
  let cache = integrationCaches.get(deps.credentials);
  if (!cache) integrationCaches.set(deps.credentials, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.version === head.updatedAt.getTime() && now - hit.usedAt < CACHE_IDLE_MS) {
    hit.usedAt = now;
    return { integration: { ...hit.integration, status: head.status }, secrets: async () => hit.secrets };
  }
  const integration = await deps.prisma.integration.findUnique({ where: { id } });
  if (!integration) return null;
  if (integration.status === 'DISCONNECTED') return { integration, secrets: async () => ({}) };
  return {
    integration,
    secrets: async () => {
      const secrets = await deps.credentials.get(integration.id);
      cache.delete(id);
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(id, { version: integration.updatedAt.getTime(), integration, secrets, usedAt: Date.now() });
      return secrets;
    },
  };
}

export async function handleWebhook(deps: WebhookDeps, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const [, , segment = '', integrationId = '', ...rest] = pathname.split('/');
  const adapter = adapterForPath(segment);
  const log = deps.log.child({ webhook: segment, integrationId });
  if (!adapter || !integrationId) {
    send(res, 404, 'No webhook here: check the URL shown for the integration in Parley\'s settings.');
    return;
  }
  if (req.method !== 'POST') {
    send(res, 405, 'Webhooks take POST.');
    return;
  }
  const current = await currentIntegration(deps, integrationId);
  const integration = current?.integration;
  if (!current || !integration || integration.provider !== adapter.provider) {
    log.warn('webhook for an unknown integration');
    send(res, 404, 'Unknown integration: check the URL shown for the integration in Parley\'s settings.');
    return;
  }
  if (integration.status === 'DISCONNECTED') {
    send(res, 410, 'This integration was disconnected in Parley.');
    return;
  }
  let rawBody: Buffer;
  const limit = adapter.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY;
  try {
    rawBody = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      log.warn({ limit }, 'webhook body too large');
      send(res, 413, `Body larger than ${limit} bytes, the most ${adapter.provider} sends.`);
      return;
    }
    throw err;
  }
  const inbox = deps.inbox();
  if (!inbox) {
    send(res, 503, 'Starting up, retry shortly.');
    return;
  }
  try {
    const result = await adapter.handleWebhook(
      {
        integration,
        secrets: await current.secrets(),
        method: req.method,
        publicUrl: `${deps.config.publicUrl}${req.url ?? pathname}`,
        subpath: rest.length ? `/${rest.join('/')}` : '',
        headers: headersOf(req),
        rawBody,
        receivedAt: new Date(),
      },
      inbox.adapterContext,
    );
    if (result.messages?.length) {
      const stored = await inbox.ingest(integration, result.messages);
      log.debug({ ...stored, retry: req.headers['x-slack-retry-num'] }, 'webhook stored');
    } else if (result.dropped) {
      log.debug({ dropped: result.dropped }, 'webhook event dropped');
    }
    if (result.statusUpdates?.length) {
      const changed = await inbox.applyStatusUpdates(integration, result.statusUpdates);
      log.debug({ updates: result.statusUpdates.length, changed }, 'delivery status received');
    }
    send(res, result.status, result.body, result.contentType);
  } catch (err) {
    if (err instanceof WebhookError) {
      log.warn({ status: err.status, reason: err.message }, 'webhook refused');
      send(res, err.status, err.message);
      return;
    }
    throw err;
  }
}
