// The pipeline's job queues and payloads. Jobs are idempotent: they re-read
// state, guard, then act, so a retried job cannot duplicate anything.
import type { Prisma } from '../generated/prisma/client.ts';
import type { Queue } from '../jobs/queue.ts';

export const BUNDLE_QUEUE = 'inbox.bundle';
export const SENDER_QUEUE = 'inbox.sender';
export const DELIVER_QUEUE = 'inbox.deliver';

export interface BundleJob {
  conversationKey: string;
}
export interface SenderJob {
  integrationId: string;
  senderId: string;
}
export interface DeliverJob {
  messageId: string;
}

/** Housekeeping of the pipeline's own jobs (see rearmOrphanedJobs). */
export const SWEEP_QUEUE = 'inbox.sweep';
/** Where jobs/queue.ts tells pg-boss to keep its tables. */
export const BOSS_SCHEMA = 'pgboss';

type QueueOptions = { name: string; policy: 'short' | 'stately'; retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds: number };
const RETRIES = { retryLimit: 5, retryDelay: 2, retryBackoff: true } as const;

/**
 * Queue policies.
 *
 * Bundle and sender jobs are idempotent and serialise themselves (the bundle
 * job takes a per-conversation advisory lock; the sender job claims each
 * message with "contactId IS NULL"), so their queues are "short": at most one
 * QUEUED job per key, however many run. A burst re-arms its bundle job with
 * every message; while one is queued further sends are no-ops, and a running
 * job re-schedules itself for the rest of the quiet period.
 *
 * They must not be "stately" (one queued AND one running per key): a job left
 * 'active' by a process that died (SIGKILL, OOM, power loss) stays so until
 * pg-boss expires it (expireInSeconds, checked every maintenance run, 2 min),
 * and while it does, fetching the queued job of the same key violates the
 * stately unique index. pg-boss swallows that error and returns nothing, and
 * as the queued job is the oldest ready one, the whole queue stalls for every
 * conversation, for up to four minutes.
 *
 * Deliveries stay "stately": two concurrent deliveries of one reply could send
 * it twice.
 */
const QUEUES: QueueOptions[] = [
  { name: BUNDLE_QUEUE, policy: 'short', ...RETRIES, expireInSeconds: 120 },
  { name: SENDER_QUEUE, policy: 'short', ...RETRIES, expireInSeconds: 120 },
  // A delivery attempt is one provider call (15 s timeout) plus a thread look-up: a minute is ample, and a
  // job left active by a dead worker stops blocking the queue sooner.
  { name: DELIVER_QUEUE, policy: 'stately', ...RETRIES, expireInSeconds: 60 },
  { name: SWEEP_QUEUE, policy: 'short', retryLimit: 1, retryDelay: 5, retryBackoff: false, expireInSeconds: 60 },
];

export async function createInboxQueues(queue: Queue): Promise<void> {
  const { boss } = queue;
  for (const options of QUEUES) {
    const existing = await boss.getQueue(options.name);
    if (!existing) await boss.createQueue(options.name, options).catch(() => undefined);
    // Databases created before a policy change get the new one (jobs already queued keep theirs).
    else if (existing.policy !== options.policy || existing.expireInSeconds !== options.expireInSeconds) await boss.updateQueue(options.name, options);
  }
  // Every worker sweeps once when it starts (a restart after a crash recovers at once), then every minute.
  await queue.work(SWEEP_QUEUE, { pollingIntervalSeconds: 1 }, async () => {
    await rearmOrphanedJobs(queue);
  });
  await boss.send(SWEEP_QUEUE, {});
  await boss.schedule(SWEEP_QUEUE, '* * * * *');
}

/**
 * Re-arms bundle and sender jobs that a dead process left behind. A job that
 * is 'active' (or failed for good) while nothing is queued for its key, and
 * whose messages are still waiting (unbundled / sender unknown), gets a new
 * job that starts now. If the 'active' one was in fact alive, the new one
 * only waits for it (advisory lock, idempotent guards) and finds nothing left
 * to do. Reads pg-boss's job table (small: a queue's live and recent jobs)
 * rather than scanning messages. Returns how many jobs were re-armed.
 */
export async function rearmOrphanedJobs(queue: Queue): Promise<number> {
  const { rows } = await queue.boss.getDb().executeSql(
    `SELECT DISTINCT ON (j.name, j.singleton_key) j.name, j.singleton_key AS "singletonKey", j.data
       FROM ${BOSS_SCHEMA}.job j
      WHERE j.name IN ($1, $2)
        AND (j.state = 'active' OR (j.state = 'failed' AND j.completed_on > now() - interval '1 day'))
        AND NOT EXISTS (
          SELECT 1 FROM ${BOSS_SCHEMA}.job q
           WHERE q.name = j.name AND q.singleton_key = j.singleton_key AND q.state IN ('created', 'retry'))
        AND CASE j.name
          WHEN $1 THEN EXISTS (
            SELECT 1 FROM "Message" m
             WHERE m."conversationKey" = j.singleton_key AND m."taskId" IS NULL AND m.direction = 'INBOUND')
          ELSE EXISTS (
            SELECT 1 FROM "Message" m
             WHERE m."integrationId" = j.data->>'integrationId' AND m."senderId" = j.data->>'senderId'
               AND m."contactId" IS NULL AND m.direction = 'INBOUND')
        END`,
    [BUNDLE_QUEUE, SENDER_QUEUE],
  );
  let rearmed = 0;
  for (const row of rows as { name: string; singletonKey: string; data: object }[]) {
    if (await queue.boss.send(row.name, row.data, { singletonKey: row.singletonKey })) rearmed++;
  }
  return rearmed;
}

type TxClient = Prisma.TransactionClient;

/** Lets pg-boss insert a job inside a Prisma transaction, so the job exists if and only if the transaction commits. */
export function jobDb(tx: TxClient) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const params = values.map((v) => (v === undefined ? null : v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v));
      const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...params);
      return { rows };
    },
  };
}
