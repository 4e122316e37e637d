// The inbox filters: URL, API arguments, and which lists a task belongs in.
import { describe, expect, it } from 'vitest';
import { argsFromFilters, compareNewestFirst, DEFAULT_FILTERS, filtersFromQuery, listKey, mergePages, queryFromFilters, taskMatches } from '../../web/src/inbox/filters.ts';

describe('filters in the URL', () => {
  it('reads and writes a short query, defaults left out', () => {
    expect(filtersFromQuery({})).toEqual(DEFAULT_FILTERS);
    const f = filtersFromQuery({ status: 'done', channel: 'sms', assignee: 'mine' });
    expect(f).toEqual({ status: 'DONE', channel: 'SMS', assignee: 'mine' });
    expect(queryFromFilters(f)).toEqual({ status: 'done', channel: 'sms', assignee: 'mine' });
    expect(queryFromFilters(DEFAULT_FILTERS)).toEqual({});
  });

  it('ignores values it does not know', () => {
    expect(filtersFromQuery({ status: 'nope', channel: 'fax', assignee: ['x'] })).toEqual(DEFAULT_FILTERS);
  });
});

describe('API arguments', () => {
  it('leaves unset filters out and waits for the viewer for "mine"', () => {
    expect(argsFromFilters(DEFAULT_FILTERS, 'm1')).toEqual({ status: 'OPEN' });
    expect(argsFromFilters({ status: 'DONE', channel: 'EMAIL', assignee: 'mine' }, 'm1')).toEqual({ status: 'DONE', channel: 'EMAIL', assigneeId: 'm1' });
    expect(argsFromFilters({ ...DEFAULT_FILTERS, assignee: 'mine' }, undefined)).toBeNull();
    expect(argsFromFilters({ ...DEFAULT_FILTERS, assignee: 'unassigned' }, 'm1')).toEqual({ status: 'OPEN', unassigned: true });
  });
});

describe('taskMatches', () => {
  const task = { status: 'OPEN', channel: 'SLACK', assigneeId: null, contactId: 'c1' };

  it('checks every filter the list was fetched with', () => {
    expect(taskMatches({ status: 'OPEN', first: 30 }, task)).toBe(true);
    expect(taskMatches({ status: 'DONE' }, task)).toBe(false);
    expect(taskMatches({ channel: 'EMAIL' }, task)).toBe(false);
    expect(taskMatches({ unassigned: true }, task)).toBe(true);
    expect(taskMatches({ unassigned: false }, task)).toBe(false);
    expect(taskMatches({ assigneeId: 'm1' }, task)).toBe(false);
    expect(taskMatches({ assigneeId: 'm1' }, { ...task, assigneeId: 'm1' })).toBe(true);
    expect(taskMatches({ contactId: 'c1' }, task)).toBe(true);
    expect(taskMatches({ contactId: 'c2' }, task)).toBe(false);
  });

  it('says so when it cannot tell', () => {
    expect(taskMatches({ channel: 'SLACK' }, { status: 'OPEN' })).toBeUndefined();
    // A known mismatch wins over an unknown.
    expect(taskMatches({ status: 'DONE', channel: 'SLACK' }, { status: 'OPEN' })).toBe(false);
  });
});

describe('lists and pages', () => {
  it('pages of one list share a key', () => {
    expect(listKey({ status: 'OPEN', first: 30 })).toBe(listKey({ first: 30, after: 'x', status: 'OPEN' }));
    expect(listKey({ status: 'OPEN' })).not.toBe(listKey({ status: 'OPEN', channel: 'SMS' }));
  });

  it('merges pages newest first, each task once', () => {
    const a = { id: 'a', createdAt: '2026-03-10T10:00:00.000Z' };
    const b = { id: 'b', createdAt: '2026-03-10T09:00:00.000Z' };
    const c = { id: 'c', createdAt: '2026-03-10T11:00:00.000Z' };
    expect(mergePages([[a, b], [b, c]]).map((t) => t.id)).toEqual(['c', 'a', 'b']);
    expect(compareNewestFirst({ id: 'x', createdAt: 't' }, { id: 'y', createdAt: 't' })).toBe(1);
  });
});
