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

/**
 * Queue policies (pg-boss "stately": at most one queued and one running job per
 * singleton key). A burst re-arms its bundle job with every message; while one
 * is queued, further sends are no-ops and the running job re-schedules itself
 * for the rest of the quiet period.
 */
export async function createInboxQueues(queue: Queue): Promise<void> {
  const { boss } = queue;
  for (const name of [BUNDLE_QUEUE, SENDER_QUEUE, DELIVER_QUEUE]) {
    const existing = await boss.getQueue(name);
    const options = { name, policy: 'stately' as const, retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 120 };
    if (!existing) await boss.createQueue(name, options).catch(() => undefined);
  }
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
