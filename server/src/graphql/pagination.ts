// Keyset pagination over (createdAt, id), newest first. Cursors are opaque to
// clients; a malformed one is a clear input error, never a server error.
import { badInput } from '../errors.ts';

export interface Keyset {
  createdAt: Date;
  id: string;
}

export const MAX_PAGE_SIZE = 200;

export function encodeCursor(row: Keyset): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw badInput('The "after" cursor is not one this API issued.', 'after');
  return { createdAt, id };
}

export function pageSize(first: number | null | undefined): number {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw badInput(`"first" must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  return n;
}

/** A Prisma where-clause for rows strictly after the cursor in newest-first order. */
export function afterCursor(after: string | null | undefined) {
  if (!after) return {};
  const c = decodeCursor(after);
  return { OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] };
}

export const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Builds a connection from `take + 1` rows. */
export function toConnection<T extends Keyset>(rows: T[], take: number) {
  const page = rows.slice(0, take);
  const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > take, endCursor: edges.at(-1)?.cursor ?? null } };
}
