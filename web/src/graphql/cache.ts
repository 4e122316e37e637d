// The normalized cache (urql graphcache). Entities with an id (Task, Message,
// Member, Contact, Integration, …) update in place whenever any result or live
// event carries them; the updates below handle what ids alone cannot: putting a
// new or changed task into the cached `tasks(...)` lists it now belongs to (and
// out of those it left), appending new messages to a task, and keeping the
// settings and contacts lists right after their mutations. No refetch storms:
// a list is refetched only when the cache cannot tell where a task belongs.
// Unit-tested through a real urql Client in test/unit/web-cache.test.ts.
import { cacheExchange, type Cache, type CacheExchangeOpts, type Data, type DataFields, type KeyingConfig, type UpdatesConfig } from '@urql/exchange-graphcache';
import { InboxTaskEdgeFragmentDoc } from './generated/graphql';
import { listKey, taskMatches, type TaskFacts } from '../inbox/filters';

type Link = string | null;

function isKey(value: unknown): value is string {
  return typeof value === 'string';
}

/** A link list (`[Entity]`) as the cache holds it, or null when that field is not cached. */
function links(cache: Cache, entity: string, field: string): Link[] | null {
  const value = cache.resolve(entity, field);
  return Array.isArray(value) ? (value as Link[]) : null;
}

function idOf(data: Data | null | undefined): string | null {
  const id = data?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/**
 * How objects are told apart. Types with an `id` need nothing. The rest are parts
 * of their parent and have no identity of their own (null) — except TaskEdge,
 * keyed by its task: a task's cursor is the same in every list, and an edge with
 * an identity can be linked into a list, which is how live tasks are added.
 */
export const keys: KeyingConfig = {
  AuthPayload: () => null,
  ApiKeyPayload: () => null,
  Attachment: () => null,
  Conversation: () => null,
  PageInfo: () => null,
  TaskConnection: () => null,
  ContactConnection: () => null,
  ContactEdge: () => null,
  TaskEdge: (data) => idOf(data.node as Data | null | undefined),
};

/** What the cache knows about a task, for deciding which lists it belongs in. */
function factsOf(cache: Cache, taskKey: string): TaskFacts {
  const facts: TaskFacts = {};
  const status = cache.resolve(taskKey, 'status');
  if (isKey(status)) facts.status = status;
  const channel = cache.resolve(taskKey, 'channel');
  if (isKey(channel)) facts.channel = channel;
  const assignee = cache.resolve(taskKey, 'assignee');
  if (assignee === null) facts.assigneeId = null;
  else if (isKey(assignee)) {
    const id = cache.resolve(assignee, 'id');
    if (id != null) facts.assigneeId = String(id);
  }
  const contact = cache.resolve(taskKey, 'contact');
  if (isKey(contact)) {
    const id = cache.resolve(contact, 'id');
    if (id != null) facts.contactId = String(id);
  }
  return facts;
}

function createdAtOf(cache: Cache, taskKey: Link | undefined): string | undefined {
  if (!taskKey) return undefined;
  const value = cache.resolve(taskKey, 'createdAt');
  return isKey(value) ? value : undefined;
}

/** The edge linking a task into lists, written once per task (a known edge keeps its real cursor). */
function edgeFor(cache: Cache, taskId: string): string | null {
  const edgeKey = cache.keyOfEntity({ __typename: 'TaskEdge', node: { __typename: 'Task', id: taskId } });
  if (!edgeKey) return null;
  if (cache.resolve(edgeKey, 'cursor') === undefined) {
    // The cursor is only a placeholder: lists page on pageInfo.endCursor, which stays the server's.
    cache.writeFragment<Data>(InboxTaskEdgeFragmentDoc, { __typename: 'TaskEdge', cursor: '', node: { __typename: 'Task', id: taskId } });
  }
  return edgeKey;
}

interface CachedPage {
  fieldKey: string;
  args: Record<string, unknown>;
  connection: string;
  edges: Link[];
}

/** The cached pages of every `tasks(...)` list, grouped by list (equal filters, any page). */
function cachedTaskLists(cache: Cache): Map<string, CachedPage[]> {
  const lists = new Map<string, CachedPage[]>();
  for (const field of cache.inspectFields('Query')) {
    if (field.fieldName !== 'tasks') continue;
    const connection = cache.resolve('Query', field.fieldKey);
    if (!isKey(connection)) continue;
    const edges = links(cache, connection, 'edges');
    if (!edges) continue;
    const args = (field.arguments ?? {}) as Record<string, unknown>;
    const key = listKey(args);
    const pages = lists.get(key) ?? [];
    pages.push({ fieldKey: field.fieldKey, args, connection, edges });
    lists.set(key, pages);
  }
  return lists;
}

/**
 * Puts a task where it belongs in every cached `tasks(...)` list: added to lists
 * whose filters it now matches (when it falls within the pages loaded so far),
 * removed from lists it no longer matches. A list whose filters the cache cannot
 * check against the task is refetched instead.
 */
export function placeTask(cache: Cache, taskId: string): void {
  const taskKey = cache.keyOfEntity({ __typename: 'Task', id: taskId });
  if (!taskKey) return;
  const facts = factsOf(cache, taskKey);
  const createdAt = createdAtOf(cache, taskKey);

  for (const pages of cachedTaskLists(cache).values()) {
    const args = pages[0]!.args;
    const nodeOf = (edge: Link) => (edge ? cache.resolve(edge, 'node') : null);
    const holding = pages.filter((p) => p.edges.some((e) => nodeOf(e) === taskKey));
    const matches = taskMatches(args, facts);

    if (matches === undefined) {
      for (const p of pages) cache.invalidate('Query', p.fieldKey);
      continue;
    }
    if (!matches) {
      for (const p of holding) cache.link(p.connection, 'edges', p.edges.filter((e) => nodeOf(e) !== taskKey));
      continue;
    }
    if (holding.length > 0) continue;

    const firstPage = pages.find((p) => p.args.after == null);
    if (!firstPage) continue;
    // Newest first: a task older than everything loaded belongs to a page not fetched yet.
    const allLoaded = pages.some((p) => {
      const pageInfo = cache.resolve(p.connection, 'pageInfo');
      return isKey(pageInfo) && cache.resolve(pageInfo, 'hasNextPage') === false;
    });
    const loadedDates = pages.flatMap((p) => p.edges.map((e) => createdAtOf(cache, nodeOf(e) as Link))).filter(isKey);
    const oldest = loadedDates.reduce<string | undefined>((min, d) => (min === undefined || d < min ? d : min), undefined);
    if (!allLoaded && createdAt !== undefined && oldest !== undefined && createdAt < oldest) continue;

    const edge = edgeFor(cache, taskId);
    if (!edge) continue;
    const at = createdAt === undefined ? 0 : firstPage.edges.findIndex((e) => (createdAtOf(cache, nodeOf(e) as Link) ?? '') < createdAt);
    const next = firstPage.edges.slice();
    next.splice(at === -1 ? next.length : at, 0, edge);
    cache.link(firstPage.connection, 'edges', next);
  }
}

/** Adds a message to its task's cached conversation (when that conversation is cached). */
export function appendMessage(cache: Cache, taskId: string, messageId: string): void {
  const taskKey = cache.keyOfEntity({ __typename: 'Task', id: taskId });
  const messageKey = cache.keyOfEntity({ __typename: 'Message', id: messageId });
  if (!taskKey || !messageKey) return;
  const current = links(cache, taskKey, 'messages');
  if (!current || current.includes(messageKey)) return;
  cache.link(taskKey, 'messages', [...current, messageKey]);
}

/** Adds an entity to a cached root list (e.g. `members`) unless it is there. */
function appendToRootList(cache: Cache, field: string, data: Data | null | undefined): void {
  const key = data ? cache.keyOfEntity(data) : null;
  const current = links(cache, 'Query', field);
  if (!key || !current || current.includes(key)) return;
  cache.link('Query', field, [...current, key]);
}

function invalidateRootField(cache: Cache, field: string, when: (args: Record<string, unknown>) => boolean = () => true): void {
  for (const f of cache.inspectFields('Query')) {
    if (f.fieldName === field && when((f.arguments ?? {}) as Record<string, unknown>)) cache.invalidate('Query', f.fieldKey);
  }
}

function resultId(result: DataFields, field: string): string | null {
  return idOf(result[field] as Data | null | undefined);
}

export const updates: UpdatesConfig = {
  Subscription: {
    taskCreated(result, _args, cache) {
      const id = resultId(result, 'taskCreated');
      if (id) placeTask(cache, id);
    },
    taskUpdated(result, _args, cache) {
      const id = resultId(result, 'taskUpdated');
      if (id) placeTask(cache, id);
    },
    messageUpdated(result, args, cache) {
      const id = resultId(result, 'messageUpdated');
      if (id && args.taskId != null) appendMessage(cache, String(args.taskId), id);
    },
  },
  Mutation: {
    setTaskStatus(result, _args, cache) {
      const id = resultId(result, 'setTaskStatus');
      if (id) placeTask(cache, id);
    },
    assignTask(result, _args, cache) {
      const id = resultId(result, 'assignTask');
      if (id) placeTask(cache, id);
    },
    replyToTask(result, args, cache) {
      const id = resultId(result, 'replyToTask');
      if (id) appendMessage(cache, String(args.taskId), id);
    },
    // Settings: lists gain what was added and lose what was revoked.
    addMember(result, _args, cache) {
      appendToRootList(cache, 'members', result.addMember as Data | null);
    },
    connectSlack(result, _args, cache) {
      appendToRootList(cache, 'integrations', result.connectSlack as Data | null);
    },
    connectTwilio(result, _args, cache) {
      appendToRootList(cache, 'integrations', result.connectTwilio as Data | null);
    },
    connectSendGrid(result, _args, cache) {
      appendToRootList(cache, 'integrations', result.connectSendGrid as Data | null);
    },
    createApiKey(_result, _args, cache) {
      // The payload carries the secret only, not the listed key: the list is fetched again.
      invalidateRootField(cache, 'apiKeys');
    },
    revokeApiKey(_result, args, cache) {
      const key = cache.keyOfEntity({ __typename: 'ApiKey', id: String(args.id) });
      const current = links(cache, 'Query', 'apiKeys');
      if (key && current) cache.link('Query', 'apiKeys', current.filter((k) => k !== key));
    },
    // Contacts: the source contact is gone and its tasks moved to the target.
    mergeContacts(_result, args, cache) {
      const moved = new Set([String(args.sourceId), String(args.targetId)]);
      cache.invalidate({ __typename: 'Contact', id: String(args.sourceId) });
      invalidateRootField(cache, 'contacts');
      invalidateRootField(cache, 'tasks', (a) => a.contactId != null && moved.has(String(a.contactId)));
    },
  },
};

/** Marking a task done or open shows at once; the server's answer replaces it. */
export const optimistic: NonNullable<CacheExchangeOpts['optimistic']> = {
  setTaskStatus: (args) => ({ __typename: 'Task', id: String(args.taskId), status: String(args.status) }),
};

export function createCacheExchange() {
  return cacheExchange({ keys, updates, optimistic });
}
