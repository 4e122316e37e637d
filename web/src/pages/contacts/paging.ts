// Accumulating "load more" pages of a GraphQL connection. Pure; unit-tested in
// test/unit/web-contacts-paging.test.ts.

export interface Page<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface ConnectionShape<T> {
  edges: readonly { node: T }[];
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
}

/** A connection's nodes and where the next page starts. */
export function pageOf<T>(connection: ConnectionShape<T>): Page<T> {
  return {
    nodes: connection.edges.map((e) => e.node),
    endCursor: connection.pageInfo.endCursor ?? null,
    hasNextPage: connection.pageInfo.hasNextPage,
  };
}

/**
 * The next page added after what is shown. A row can arrive twice when rows were
 * added or removed between requests; it is shown once, where it first appeared.
 */
export function appendUnique<T extends { id: string }>(shown: readonly T[], next: readonly T[]): T[] {
  const seen = new Set(shown.map((n) => n.id));
  const added = next.filter((n) => {
    if (seen.has(n.id)) return false;
    seen.add(n.id);
    return true;
  });
  return [...shown, ...added];
}
