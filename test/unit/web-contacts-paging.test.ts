// "Load more" over a GraphQL connection in the contacts screens.
import { describe, expect, it } from 'vitest';
import { appendUnique, pageOf } from '../../web/src/pages/contacts/paging.ts';

describe('paging', () => {
  it('reads the nodes and the next cursor from a connection', () => {
    expect(pageOf({ edges: [{ node: { id: 'a' } }, { node: { id: 'b' } }], pageInfo: { endCursor: 'c2', hasNextPage: true } })).toEqual({
      nodes: [{ id: 'a' }, { id: 'b' }],
      endCursor: 'c2',
      hasNextPage: true,
    });
    expect(pageOf({ edges: [], pageInfo: { endCursor: null, hasNextPage: false } })).toEqual({ nodes: [], endCursor: null, hasNextPage: false });
  });

  it('appends a page, showing a row that arrives twice only where it first appeared', () => {
    const shown = [{ id: 'a', v: 1 }, { id: 'b', v: 1 }];
    expect(appendUnique(shown, [{ id: 'b', v: 2 }, { id: 'c', v: 2 }, { id: 'c', v: 3 }])).toEqual([
      { id: 'a', v: 1 },
      { id: 'b', v: 1 },
      { id: 'c', v: 2 },
    ]);
    expect(shown).toHaveLength(2);
  });
});
