// The Prisma client (Prisma 7 with the pg driver adapter) and a plain pg pool
// for what Prisma does not do: LISTEN/NOTIFY and cheap health probes.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

export type { PrismaClient };
export { Prisma } from './generated/prisma/client.ts';

export function createPrisma(databaseUrl: string, opts: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    // Fail fast when the database is unreachable so health checks and requests
    // answer instead of hanging.
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}
