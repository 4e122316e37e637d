// Housekeeping that keeps auth tables small: expired sessions and stale
// sign-in throttle rows. Scheduled by pg-boss, so it runs once per period
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

export async function registerMaintenance(queue: Queue, prisma: PrismaClient, log: Logger, runWorkers: boolean): Promise<void> {
  await queue.work(MAINTENANCE_QUEUE, {}, async () => {
    const pruned = await pruneExpiredAuth(prisma);
    if (pruned.sessions || pruned.throttles) log.info(pruned, 'pruned expired sessions and sign-in throttles');
  });
  if (runWorkers) await queue.boss.schedule(MAINTENANCE_QUEUE, '*/15 * * * *');
}
