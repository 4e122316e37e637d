// Store, then bundle: every accepted message is committed before the provider
// gets its acknowledgement. In the same transaction it either joins the OPEN
// task of its thread, or (re)arms the bundle job of its burst; a sender we do
// not know yet gets a look-up job instead (no provider call in the request).
//
// Group commit: messages arriving while earlier ones are being written are
// stored together, by one set-based statement (see writeBatch), and each
// caller is answered once the statement holding its message has committed.
// Alone, a message is written at once; under load the batches grow, so the
// throughput is not bounded by per-statement and per-round-trip overhead.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { InboundMessage, SenderIdentity } from '../channels/types.ts';
import type { Prisma, PrismaClient } from '../db.ts';
import type { Integration } from '../generated/prisma/client.ts';
import { EVENTS_CHANNEL, publish } from '../graphql/events.ts';
import type { Queue } from '../jobs/queue.ts';
import { upsertContact } from './contacts.ts';
import { storeAttachmentContents } from './files.ts';
import { BOSS_SCHEMA, BUNDLE_QUEUE, SENDER_QUEUE, jobDb, type BundleJob } from './queues.ts';

export interface InboxDeps {
  prisma: PrismaClient;
  /**
   * Plain pg connections for the batch write: its one large JSON parameter
   * would otherwise be JSON-encoded and decoded again by Prisma's raw-query
   * path, which costs more CPU than the rest of ingestion for big emails.
   */
  pool: pg.Pool;
  queue: Queue;
  debounceSeconds: number;
  maxAttachmentBytes: number;
}

export interface IngestResult {
  stored: number;
  duplicates: number;
  dropped: number;
}

type Tx = Prisma.TransactionClient;
type Outcome = 'stored' | 'duplicate' | 'dropped';

export function conversationKeyOf(integrationId: string, contactId: string, bundleKey: string): string {
  return `${integrationId}|${contactId}|${bundleKey}`;
}

export async function armBundle(deps: InboxDeps, tx: Tx, conversationKey: string, delaySeconds = deps.debounceSeconds): Promise<void> {
  await deps.queue.boss.send(BUNDLE_QUEUE, { conversationKey } satisfies BundleJob, {
    singletonKey: conversationKey,
    startAfter: Math.max(0, Math.ceil(delaySeconds)),
    db: jobDb(tx),
  });
}

/**
 * Places a stored message whose contact is known: into the OPEN task of its
 * thread if there is one (published as an update), else into its burst.
 * (The sender look-up job uses it; new messages are placed the same way, set-based, in writeBatch.)
 */
export async function placeMessage(deps: InboxDeps, tx: Tx, message: { id: string; workspaceId: string; integrationId: string; threadKey: string; createdAt: Date }, conversationKey: string): Promise<void> {
  const open = message.threadKey
    ? await tx.task.findFirst({ where: { integrationId: message.integrationId, threadKey: message.threadKey, status: 'OPEN' }, select: { id: true } })
    : null;
  if (open) {
    await tx.message.update({ where: { id: message.id }, data: { taskId: open.id, conversationKey } });
    await tx.task.update({ where: { id: open.id }, data: { lastMessageAt: message.createdAt } });
    await publish(tx, { name: 'messageUpdated', workspaceId: message.workspaceId, id: message.id, taskId: open.id });
    await publish(tx, { name: 'taskUpdated', workspaceId: message.workspaceId, id: open.id });
    return;
  }
  await tx.message.update({ where: { id: message.id }, data: { conversationKey } });
  await armBundle(deps, tx, conversationKey);
}

interface Pending {
  integration: Integration;
  msg: InboundMessage;
  id: string;
  createdAt: Date;
  resolve(outcome: Outcome): void;
  reject(err: unknown): void;
}

/**
 * For each message: is the sender one of the team, and which contact is it?
 * The same rules as contacts.ts (isTeamMember, findContact): any identity
 * matches a member; for contacts the Slack id wins, then the email
 * (lower-cased), then the phone. `i` is a row with ws, slack, email, phone.
 */
const SENDER_SQL = {
  member: `EXISTS (SELECT 1 FROM "Member" m WHERE m."workspaceId" = i.ws AND (m."slackUserId" = i.slack OR m.email = i.email OR m.phone = i.phone))`,
  contact: `(SELECT c.id FROM "Contact" c
              WHERE c."workspaceId" = i.ws AND (c."slackUserId" = i.slack OR c.email = i.email OR c.phone = i.phone)
              ORDER BY c."slackUserId" = i.slack DESC NULLS LAST, c.email = i.email DESC NULLS LAST, c.phone = i.phone DESC NULLS LAST
              LIMIT 1)`,
};

function senderColumns(workspaceId: string, s: SenderIdentity) {
  return { ws: workspaceId, slack: s.slackUserId ?? null, email: s.email?.toLowerCase() ?? null, phone: s.phone ?? null };
}

/**
 * Senders the provider cannot describe later (e.g. an email address, a phone
 * number) are matched or created before their messages are written, and a
 * known contact without a name gets the one the provider gives (a WhatsApp
 * profile name); team members among them are left to the write, which drops them.
 */
async function createMissingContacts(prisma: PrismaClient, items: Pending[]): Promise<void> {
  const direct = items.filter((p) => !p.msg.senderNeedsLookup);
  if (!direct.length) return;
  const rows = await prisma.$queryRawUnsafe<{ n: number; member: boolean; contactId: string | null; unnamed: boolean }[]>(
    `SELECT s.*, s."contactId" IS NOT NULL AND EXISTS (SELECT 1 FROM "Contact" c WHERE c.id = s."contactId" AND c.name IS NULL) AS unnamed
       FROM (SELECT i.n, ${SENDER_SQL.member} AS member, ${SENDER_SQL.contact} AS "contactId"
               FROM json_to_recordset($1::json) AS i(n int, ws text, slack text, email text, phone text)) s`,
    JSON.stringify(direct.map((p, n) => ({ n, ...senderColumns(p.integration.workspaceId, p.msg.sender) }))),
  );
  for (const r of rows) {
    const p = direct[Number(r.n)]!;
    if (!r.member && (!r.contactId || (r.unnamed && p.msg.sender.name))) await upsertContact(prisma, p.integration.workspaceId, p.msg.sender);
  }
}

/**
 * Writes a batch in ONE statement (so atomically, without a transaction's
 * extra round trips): drops messages of team members; stores the others with
 * their contact and conversation key when the sender is known, placed into
 * their thread's OPEN task when there is one (the task moves up; events are
 * announced on commit); queues the bundle job of each burst and a look-up job
 * per unknown sender. Provider retries (same provider message id) change
 * nothing.
 *
 * Rows, jobs and tasks are taken in a fixed order (ORDER BY), so concurrent
 * batches (of other instances too) do not deadlock; if they still do (two
 * batches touching the same OPEN tasks), the batch is retried.
 *
 * Jobs are inserted as pg-boss's own insert does (pg-boss 10, `insertJobs`:
 * the queue's policy, retry, expiry and retention settings), so that they are
 * in the same statement as the messages; test/integration/slack-crash.test.ts
 * checks them against jobs pg-boss inserts itself.
 */
const WRITE_BATCH_SQL = `WITH i AS (
       SELECT x.*, (x."createdAt"::timestamptz AT TIME ZONE 'UTC') AS at
         FROM json_to_recordset($1::json) AS x(id text, ws text, slack text, email text, phone text, "integrationId" text, channel text, body text, "fullBody" text,
              "providerMessageId" text, "senderId" text, "bundleKey" text, "threadKey" text, conversation jsonb, attachments jsonb, raw jsonb, "createdAt" text)
     ),
     resolved AS (
       SELECT i.*, ${SENDER_SQL.member} AS member, ${SENDER_SQL.contact} AS "contactId" FROM i
     ),
     placed AS (
       SELECT r.*,
              CASE WHEN r."contactId" IS NOT NULL THEN r."integrationId" || '|' || r."contactId" || '|' || r."bundleKey" END AS "conversationKey",
              CASE WHEN r."contactId" IS NOT NULL AND r."threadKey" <> '' THEN
                (SELECT t.id FROM "Task" t WHERE t."integrationId" = r."integrationId" AND t."threadKey" = r."threadKey" AND t.status = 'OPEN' LIMIT 1)
              END AS "taskId"
         FROM resolved r WHERE NOT r.member
     ),
     ins AS (
       INSERT INTO "Message" (id, "workspaceId", "integrationId", "contactId", "taskId", direction, status, channel, body, "fullBody", "providerMessageId", "senderId",
                              "conversationKey", "bundleKey", "threadKey", conversation, attachments, raw, "createdAt", "updatedAt")
       SELECT p.id, p.ws, p."integrationId", p."contactId", p."taskId", 'INBOUND', 'RECEIVED', p.channel::"Channel", p.body, p."fullBody", p."providerMessageId", p."senderId",
              p."conversationKey", p."bundleKey", p."threadKey", p.conversation, p.attachments, p.raw, p.at, p.at
         FROM placed p
        ORDER BY p."integrationId", p."providerMessageId"
       ON CONFLICT ("integrationId", "providerMessageId") DO NOTHING
       RETURNING id, "workspaceId", "integrationId", "taskId", "conversationKey", "senderId", "createdAt"
     ),
     touched AS (
       UPDATE "Task" t SET "lastMessageAt" = GREATEST(t."lastMessageAt", v.at), "updatedAt" = (now() AT TIME ZONE 'UTC')
         FROM (SELECT "taskId", max("createdAt") AS at FROM ins WHERE "taskId" IS NOT NULL GROUP BY "taskId") v
        WHERE t.id = v."taskId"
       RETURNING t.id, t."workspaceId"
     ),
     wanted AS (
       SELECT DISTINCT ON (name, key) name, key, data, delay FROM (
         SELECT $2::text AS name, "conversationKey" AS key, jsonb_build_object('conversationKey', "conversationKey") AS data, $4::int AS delay
           FROM ins WHERE "taskId" IS NULL AND "conversationKey" IS NOT NULL
         UNION ALL
         SELECT $3::text, "integrationId" || '|' || "senderId", jsonb_build_object('integrationId', "integrationId", 'senderId', "senderId"), 0
           FROM ins WHERE "conversationKey" IS NULL
       ) w ORDER BY name, key
     ),
     jobs AS (
       INSERT INTO ${BOSS_SCHEMA}.job (id, name, data, priority, start_after, singleton_key, dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
       SELECT gen_random_uuid(), w.name, w.data, 0, now() + w.delay * interval '1 second', w.key, q.dead_letter,
              COALESCE(q.expire_seconds * interval '1 second', interval '15 minutes'),
              now() + w.delay * interval '1 second' + CAST(COALESCE((q.retention_minutes * 60)::text, '14 days') AS interval),
              COALESCE(q.retry_limit, 2),
              CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(q.retry_delay, 1) ELSE COALESCE(q.retry_delay, 0) END,
              COALESCE(q.retry_backoff, false), q.policy
         FROM wanted w JOIN ${BOSS_SCHEMA}.queue q ON q.name = w.name
        ORDER BY w.name, w.key
       ON CONFLICT DO NOTHING
       RETURNING 1
     ),
     events AS (
       SELECT json_build_object('name', 'messageUpdated', 'workspaceId', "workspaceId", 'id', id, 'taskId', "taskId")::text AS payload FROM ins WHERE "taskId" IS NOT NULL
       UNION ALL
       SELECT json_build_object('name', 'taskUpdated', 'workspaceId', "workspaceId", 'id', id)::text FROM touched
     )
     SELECT i.id,
            CASE WHEN r.member THEN 'dropped' WHEN ins.id IS NOT NULL THEN 'stored' ELSE 'duplicate' END AS outcome,
            (SELECT count(*) FROM jobs) AS jobs,
            (SELECT count(pg_notify($5::text, payload)) FROM events) AS events
       FROM i JOIN resolved r ON r.id = i.id LEFT JOIN ins ON ins.id = i.id`;

/** Writes a batch with WRITE_BATCH_SQL; returns each message's outcome by its id. */
async function writeBatch(deps: InboxDeps, items: Pending[]): Promise<Map<string, Outcome>> {
  const rows = items.map(({ integration, msg, id, createdAt }) => ({
    id,
    ...senderColumns(integration.workspaceId, msg.sender),
    integrationId: integration.id,
    channel: msg.channel,
    body: msg.body,
    fullBody: msg.fullBody ?? null,
    providerMessageId: msg.providerMessageId,
    senderId: msg.sender.id,
    bundleKey: msg.bundleKey,
    threadKey: msg.threadKey,
    conversation: { ...msg.conversation, replyThreadKey: msg.replyThreadKey, sender: msg.sender },
    attachments: msg.attachments,
    raw: msg.raw ?? null,
    createdAt: createdAt.toISOString(),
  }));
  const result = await deps.pool.query<{ id: string; outcome: Outcome }>(WRITE_BATCH_SQL, [
    JSON.stringify(rows),
    BUNDLE_QUEUE,
    SENDER_QUEUE,
    Math.max(0, Math.ceil(deps.debounceSeconds)),
    EVENTS_CHANNEL,
  ]);
  return new Map(result.rows.map((r) => [r.id, r.outcome]));
}

/** PostgreSQL errors worth retrying the whole batch for: deadlock, serialization failure. */
function isTransient(err: unknown): boolean {
  const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
  return /40P01|40001|deadlock|could not serialize/i.test(text);
}

/** Collects the messages of concurrent requests and writes them in batches (at most MAX_IN_FLIGHT at once). */
class IngestBatcher {
  static readonly MAX_IN_FLIGHT = 2;
  static readonly MAX_BATCH = 500;
  private queued: Pending[] = [];
  private inFlight = 0;

  constructor(private readonly deps: InboxDeps) {}

  submit(integration: Integration, msg: InboundMessage): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queued.push({ integration, msg, id: randomUUID(), createdAt: new Date(), resolve, reject });
      // Let the other messages of this tick (and of requests parsed meanwhile) join the batch.
      if (this.inFlight < IngestBatcher.MAX_IN_FLIGHT && this.queued.length === 1) setImmediate(() => this.pump());
    });
  }

  private pump(): void {
    while (this.inFlight < IngestBatcher.MAX_IN_FLIGHT && this.queued.length) {
      const batch = this.queued.splice(0, IngestBatcher.MAX_BATCH);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      await this.store(batch);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One bad message must not fail the others: write them one by one.
      for (const p of batch) {
        await this.store([p]).catch((e: unknown) => p.reject(e));
      }
    }
  }

  private async store(batch: Pending[]): Promise<void> {
    await createMissingContacts(this.deps.prisma, batch);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await writeBatch(this.deps, batch);
        for (const p of batch) {
          const outcome = outcomes.get(p.id);
          if (outcome) p.resolve(outcome);
          else p.reject(new Error(`ingest: no outcome for message ${p.msg.providerMessageId}`));
        }
        return;
      } catch (err) {
        if (!isTransient(err) || attempt >= 3) throw err;
      }
    }
  }
}

const batchers = new WeakMap<InboxDeps, IngestBatcher>();

/** Stores verified inbound messages; resolves once they are committed. Duplicates (provider retries) change nothing. */
export async function ingestMessages(deps: InboxDeps, integration: Integration, messages: InboundMessage[]): Promise<IngestResult> {
  let batcher = batchers.get(deps);
  if (!batcher) batchers.set(deps, (batcher = new IngestBatcher(deps)));
  const prepared = await Promise.all(messages.map((msg) => storeAttachmentContents(deps.prisma, integration, msg, deps.maxAttachmentBytes)));
  const outcomes = await Promise.all(prepared.map((msg) => batcher.submit(integration, msg)));
  return {
    stored: outcomes.filter((o) => o === 'stored').length,
    duplicates: outcomes.filter((o) => o === 'duplicate').length,
    dropped: outcomes.filter((o) => o === 'dropped').length,
  };
}
