// Throttling of failed sign-ins, per email and per client address, kept in
// PostgreSQL so it holds across instances. After MAX_FAILURES inside WINDOW the
// key is locked, and each further failure doubles the lock (capped).
import type { PrismaClient } from '../db.ts';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_LOCK_MS = 60_000;
const MAX_LOCK_MS = 60 * 60_000;

export interface ThrottleState {
  lockedForMs: number;
}

export async function throttleCheck(prisma: PrismaClient, keys: string[], now = new Date()): Promise<ThrottleState> {
  const rows = await prisma.signInThrottle.findMany({ where: { key: { in: keys } } });
  const lockedUntil = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0));
  return { lockedForMs: Math.max(0, lockedUntil - now.getTime()) };
}

export async function recordFailure(prisma: PrismaClient, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) {
    // One statement so concurrent failures count correctly.
    await prisma.$executeRaw`
      INSERT INTO "SignInThrottle" ("key", "failures", "windowStart")
      VALUES (${key}, 1, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "SignInThrottle"."windowStart" < ${new Date(now.getTime() - WINDOW_MS)}
                          THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
        "windowStart" = CASE WHEN "SignInThrottle"."windowStart" < ${new Date(now.getTime() - WINDOW_MS)}
                             THEN ${now} ELSE "SignInThrottle"."windowStart" END`;
    const row = await prisma.signInThrottle.findUnique({ where: { key } });
    if (row && row.failures >= MAX_FAILURES) {
      const lockMs = Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (row.failures - MAX_FAILURES));
      await prisma.signInThrottle.update({ where: { key }, data: { lockedUntil: new Date(now.getTime() + lockMs) } });
    }
  }
}

export async function clearFailures(prisma: PrismaClient, keys: string[]): Promise<void> {
  await prisma.signInThrottle.deleteMany({ where: { key: { in: keys } } });
}

/** Old rows are useless once their window and lock have passed. */
export async function pruneThrottles(prisma: PrismaClient, now = new Date()): Promise<number> {
  const res = await prisma.signInThrottle.deleteMany({
    where: {
      windowStart: { lt: new Date(now.getTime() - WINDOW_MS) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
  });
  return res.count;
}
