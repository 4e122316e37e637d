// Housekeeping that keeps tables small: expired sessions, stale sign-in
// throttle rows, and attachment contents whose message was never stored (a
// team member's email, dropped after its files were written). Scheduled by pg-boss, so it runs once per period
// across all instances.
import { pruneThrottles } from '../auth/throttle.ts';
import type { PrismaClient } from '../db.ts';
import type { Logger } from '../logger.ts';
import type { Queue } from './queue.ts';

export const MAINTENANCE_QUEUE = 'maintenance';

export async function pruneExpiredAuth(prisma: PrismaClient, now = new Date()): Promise<{ sessions: number; throttles: number }> {
  const sessions = await prisma.session.deleteMany({ where: { expiresAt: { lt: now } } });
  const throttles = await pruneThrottles(prisma, now);
  return { sessions: sessions.count, throttles };
}

/** Files are written just before their message; an hour later, one without its message never will have it. */
export async function pruneOrphanFiles(prisma: PrismaClient, now = new Date()): Promise<number> {
  return prisma.$executeRawUnsafe(
    `DELETE FROM "StoredFile" f WHERE f."createdAt" < $1
        AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."integrationId" = f."integrationId" AND m."providerMessageId" = f."providerMessageId")`,
    new Date(now.getTime() - 60 * 60_000),
  );
}

export async function registerMaintenance(queue: Queue, prisma: PrismaClient, log: Logger, runWorkers: boolean): Promise<void> {
  await queue.work(MAINTENANCE_QUEUE, {}, async () => {
    const pruned = await pruneExpiredAuth(prisma);
    if (pruned.sessions || pruned.throttles) log.info(pruned, 'pruned expired sessions and sign-in throttles');
    const files = await pruneOrphanFiles(prisma);
    if (files) log.info({ files }, 'pruned attachment contents of messages never stored');
  });
  if (runWorkers) await queue.boss.schedule(MAINTENANCE_QUEUE, '*/15 * * * *');
}
