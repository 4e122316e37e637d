// The inbox's filters: how they read in the URL, which `tasks(...)` arguments
// they become, and whether a task belongs in a list fetched with given
// arguments (what the cache updates use to place live tasks). Pure; unit-tested
// in test/unit/web-inbox-filters.test.ts.
import type { Channel, TaskStatus } from '../graphql/generated/graphql';

export const PAGE_SIZE = 30;

export type StatusFilter = 'OPEN' | 'DONE';
export type AssigneeFilter = 'anyone' | 'mine' | 'unassigned';

export interface InboxFilters {
  status: StatusFilter;
  channel: Channel | null;
  assignee: AssigneeFilter;
}

export const DEFAULT_FILTERS: InboxFilters = { status: 'OPEN', channel: null, assignee: 'anyone' };

const CHANNELS: readonly Channel[] = ['SLACK', 'EMAIL', 'SMS', 'WHATSAPP'];

type QueryValue = string | null | (string | null)[] | undefined;

function first(value: QueryValue): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.toLowerCase() : undefined;
}

/** Reads filters from a route query (`?status=done&channel=sms&assignee=mine`); unknown values fall back to defaults. */
export function filtersFromQuery(query: Record<string, QueryValue>): InboxFilters {
  const status = first(query.status) === 'done' ? 'DONE' : 'OPEN';
  const channelName = first(query.channel)?.toUpperCase();
  const channel = CHANNELS.find((c) => c === channelName) ?? null;
  const a = first(query.assignee);
  const assignee: AssigneeFilter = a === 'mine' || a === 'unassigned' ? a : 'anyone';
  return { status, channel, assignee };
}

/** The route query for filters, leaving defaults out so the plain inbox has a plain URL. */
export function queryFromFilters(f: InboxFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.status !== DEFAULT_FILTERS.status) q.status = f.status.toLowerCase();
  if (f.channel) q.channel = f.channel.toLowerCase();
  if (f.assignee !== 'anyone') q.assignee = f.assignee;
  return q;
}

export interface TaskListArgs {
  status?: TaskStatus;
  channel?: Channel;
  assigneeId?: string;
  unassigned?: boolean;
  contactId?: string;
}

/** `tasks(...)` arguments for filters; null while "mine" waits for the viewer's id. Unset filters are left out, not null. */
export function argsFromFilters(f: InboxFilters, viewerId: string | null | undefined): TaskListArgs | null {
  const args: TaskListArgs = { status: f.status };
  if (f.channel) args.channel = f.channel;
  if (f.assignee === 'mine') {
    if (!viewerId) return null;
    args.assigneeId = viewerId;
  }
  if (f.assignee === 'unassigned') args.unassigned = true;
  return args;
}

/** What the cache knows about a task; undefined where it does not know. */
export interface TaskFacts {
  status?: string;
  channel?: string;
  /** null: nobody. */
  assigneeId?: string | null;
  contactId?: string;
}

/**
 * Whether a task belongs in a `tasks(...)` list fetched with `args`: true, false,
 * or undefined when a fact the arguments filter on is unknown.
 */
export function taskMatches(args: Record<string, unknown>, task: TaskFacts): boolean | undefined {
  const checks: (boolean | undefined)[] = [];
  const given = (k: string) => args[k] !== undefined && args[k] !== null;
  if (given('status')) checks.push(task.status === undefined ? undefined : task.status === args.status);
  if (given('channel')) checks.push(task.channel === undefined ? undefined : task.channel === args.channel);
  if (given('contactId')) checks.push(task.contactId === undefined ? undefined : task.contactId === String(args.contactId));
  if (given('assigneeId')) checks.push(task.assigneeId === undefined ? undefined : task.assigneeId === String(args.assigneeId));
  if (args.unassigned === true) checks.push(task.assigneeId === undefined ? undefined : task.assigneeId === null);
  if (args.unassigned === false && !given('assigneeId')) checks.push(task.assigneeId === undefined ? undefined : task.assigneeId !== null);
  if (checks.includes(false)) return false;
  if (checks.includes(undefined)) return undefined;
  return true;
}

/** The arguments that pick a list, without the paging ones: lists with equal keys are pages of one list. */
export function listKey(args: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(args)
      .filter((k) => k !== 'first' && k !== 'after' && args[k] !== undefined && args[k] !== null)
      .sort()
      .map((k) => [k, args[k]]),
  );
}

export interface Ordered {
  id: string;
  /** An ISO-8601 timestamp (the API's DateTime, typed unknown by codegen). */
  createdAt: unknown;
}

/** Newest first by creation, as the API pages them (ties by id, descending). */
export function compareNewestFirst(a: Ordered, b: Ordered): number {
  const x = String(a.createdAt);
  const y = String(b.createdAt);
  if (x !== y) return x < y ? 1 : -1;
  return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
}

/** Pages joined into one newest-first list, each task once. */
export function mergePages<T extends Ordered>(pages: readonly (readonly T[])[]): T[] {
  const seen = new Set<string>();
  const all: T[] = [];
  for (const page of pages) {
    for (const item of page) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      all.push(item);
    }
  }
  return all.sort(compareNewestFirst);
}
