// The web app's normalized cache (web/src/graphql/cache.ts), driven through a
// real urql Client whose transport is a fake server: live events and mutation
// results must update the cached lists and conversations that watchers see,
// without asking the server again.
import { describe, expect, it } from 'vitest';
import { Client, subscriptionExchange, type AnyVariables, type OperationResult, type TypedDocumentNode } from '../../web/src/graphql/urql.ts';
import { createCacheExchange } from '../../web/src/graphql/cache.ts';
import {
  InboxTasksDocument,
  TaskAssignDocument,
  TaskCreatedDocument,
  TaskDetailDocument,
  TaskMessageUpdatedDocument,
  TaskReplyDocument,
  TaskSetStatusDocument,
  TaskUpdatedDocument,
  type InboxTasksQuery,
  type TaskDetailQuery,
} from '../../web/src/graphql/generated/graphql.ts';

type Json = Record<string, unknown>;
type Sink = { next(value: { data?: unknown }): void; complete(): void };

const tick = () => new Promise((r) => setTimeout(r, 0));
const at = (minute: number) => new Date(Date.UTC(2026, 2, 10, 9, minute)).toISOString();

const cora = { __typename: 'Contact', id: 'c1', name: 'Cora Customer', email: 'cora@example.com', phone: null, slackUserId: 'U0CUSTOMER' };
const ada = { __typename: 'Member', id: 'm1', name: 'Ada Admin' };

function task(id: string, minute: number, over: Json = {}): Json {
  return {
    __typename: 'Task',
    id,
    title: `Task ${id}`,
    status: 'OPEN',
    channel: 'SLACK',
    preview: `Preview ${id}`,
    type: null,
    priority: null,
    createdAt: at(minute),
    lastMessageAt: at(minute),
    updatedAt: at(minute),
    contact: cora,
    assignee: null,
    ...over,
  };
}

function connection(nodes: Json[], hasNextPage = false): Json {
  return {
    __typename: 'TaskConnection',
    edges: nodes.map((node) => ({ __typename: 'TaskEdge', cursor: `cursor-${String(node.id)}`, node })),
    pageInfo: { __typename: 'PageInfo', endCursor: nodes.length ? `cursor-${String(nodes.at(-1)!.id)}` : null, hasNextPage },
  };
}

function message(id: string, over: Json = {}): Json {
  return {
    __typename: 'Message',
    id,
    direction: 'INBOUND',
    status: 'RECEIVED',
    body: `body ${id}`,
    fullBody: `body ${id}`,
    error: null,
    errorCode: null,
    createdAt: at(1),
    author: null,
    attachments: [],
    ...over,
  };
}

/**
 * A client whose server answers queries and mutations from `answer` (by
 * operation name) and keeps subscriptions open so tests can push events.
 */
function setup(answer: (name: string, variables: Json) => Json | Promise<Json>) {
  const requests: { name: string; variables: Json }[] = [];
  const subscriptions = new Map<string, Sink[]>();
  const client = new Client({
    url: 'http://fake/graphql',
    exchanges: [
      createCacheExchange(),
      subscriptionExchange({
        enableAllOperations: true,
        forwardSubscription(request, operation) {
          const name = operation.query.definitions.flatMap((d) => (d.kind === 'OperationDefinition' && d.name ? [d.name.value] : []))[0] ?? '';
          const variables = (request.variables ?? {}) as Json;
          return {
            subscribe(sink: Sink) {
              if (operation.kind === 'subscription') {
                subscriptions.set(name, [...(subscriptions.get(name) ?? []), sink]);
                return { unsubscribe() {} };
              }
              requests.push({ name, variables });
              void Promise.resolve(answer(name, variables)).then((data) => {
                sink.next({ data });
                sink.complete();
              });
              return { unsubscribe() {} };
            },
          };
        },
      }),
    ],
  });

  function watch<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, variables: V) {
    const state: { latest: OperationResult<D, V> | undefined; results: number } = { latest: undefined, results: 0 };
    client.query(doc, variables).subscribe((r) => {
      state.latest = r;
      state.results++;
    });
    return state;
  }

  /** Opens a subscription the way the app does, and returns a function that pushes one event through it. */
  function live<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, variables: V, name: string) {
    client.subscription(doc, variables).subscribe(() => {});
    return async (data: Json) => {
      for (const sink of subscriptions.get(name) ?? []) sink.next({ data });
      await tick();
    };
  }

  return { client, requests, watch, live };
}

const ids = (data: InboxTasksQuery | undefined) => data?.tasks.edges.map((e) => e.node.id);

describe('live tasks in cached lists', () => {
  function inbox() {
    return setup((name, v) => {
      if (name !== 'InboxTasks') throw new Error(`unexpected ${name}`);
      if (v.status === 'DONE') return { tasks: connection([task('d1', 5, { status: 'DONE' })]) };
      if (v.channel === 'EMAIL') return { tasks: connection([]) };
      if (v.assigneeId === 'm1') return { tasks: connection([]) };
      if (v.unassigned === true) return { tasks: connection([task('t2', 20), task('t1', 10)]) };
      return { tasks: connection([task('t2', 20), task('t1', 10)]) };
    });
  }

  it('puts a new task at the top of the lists it matches, and only those, without a refetch', async () => {
    const s = inbox();
    const open = s.watch(InboxTasksDocument, { status: 'OPEN', first: 30 });
    const email = s.watch(InboxTasksDocument, { status: 'OPEN', channel: 'EMAIL', first: 30 });
    const done = s.watch(InboxTasksDocument, { status: 'DONE', first: 30 });
    const pushCreated = s.live(TaskCreatedDocument, {}, 'TaskCreated');
    await tick();
    expect(ids(open.latest?.data)).toEqual(['t2', 't1']);
    const before = s.requests.length;

    await pushCreated({ taskCreated: task('t3', 30, { title: 'Where is my invoice?' }) });

    expect(ids(open.latest?.data)).toEqual(['t3', 't2', 't1']);
    expect(open.latest?.data?.tasks.edges[0]?.node.title).toBe('Where is my invoice?');
    expect(ids(email.latest?.data)).toEqual([]);
    expect(ids(done.latest?.data)).toEqual(['d1']);
    expect(s.requests.length).toBe(before);

    // The same event twice (a reconnect replay) adds nothing.
    await pushCreated({ taskCreated: task('t3', 30) });
    expect(ids(open.latest?.data)).toEqual(['t3', 't2', 't1']);
  });

  it('moves a task between lists when its status or assignee changes', async () => {
    const s = inbox();
    const open = s.watch(InboxTasksDocument, { status: 'OPEN', first: 30 });
    const done = s.watch(InboxTasksDocument, { status: 'DONE', first: 30 });
    const mine = s.watch(InboxTasksDocument, { status: 'OPEN', assigneeId: 'm1', first: 30 });
    const unassigned = s.watch(InboxTasksDocument, { status: 'OPEN', unassigned: true, first: 30 });
    const pushUpdated = s.live(TaskUpdatedDocument, {}, 'TaskUpdated');
    await tick();
    const before = s.requests.length;

    await pushUpdated({ taskUpdated: { ...task('t2', 20, { assignee: ada, preview: 'Thanks!' }), suggestedAssignee: null, triageReason: null } });
    expect(ids(mine.latest?.data)).toEqual(['t2']);
    expect(ids(unassigned.latest?.data)).toEqual(['t1']);
    expect(open.latest?.data?.tasks.edges[0]?.node).toMatchObject({ id: 't2', preview: 'Thanks!', assignee: { name: 'Ada Admin' } });

    await pushUpdated({ taskUpdated: { ...task('t2', 20, { assignee: ada, status: 'DONE' }), suggestedAssignee: null, triageReason: null } });
    expect(ids(open.latest?.data)).toEqual(['t1']);
    expect(ids(mine.latest?.data)).toEqual([]);
    // The done list is complete (no next page), so the task goes in, in date order.
    expect(ids(done.latest?.data)).toEqual(['t2', 'd1']);
    expect(s.requests.length).toBe(before);
  });

  it('leaves out of a partly loaded list a task older than anything loaded', async () => {
    const s = setup(() => ({ tasks: connection([task('t9', 50), task('t8', 40)], true) }));
    const open = s.watch(InboxTasksDocument, { status: 'OPEN', first: 2 });
    const pushUpdated = s.live(TaskUpdatedDocument, {}, 'TaskUpdated');
    await tick();
    await pushUpdated({ taskUpdated: { ...task('old', 1), suggestedAssignee: null, triageReason: null } });
    expect(ids(open.latest?.data)).toEqual(['t9', 't8']);
  });

  it('marks done at once (optimistically) and takes the task out of the open list', async () => {
    let release: () => void = () => {};
    const s = setup((name) => {
      if (name === 'TaskSetStatus') return new Promise<Json>((r) => (release = () => r({ setTaskStatus: { __typename: 'Task', id: 't1', status: 'DONE' } })));
      return { tasks: connection([task('t2', 20), task('t1', 10)]) };
    });
    const open = s.watch(InboxTasksDocument, { status: 'OPEN', first: 30 });
    await tick();
    const done = s.client.mutation(TaskSetStatusDocument, { taskId: 't1', status: 'DONE' }).toPromise();
    await tick();
    expect(ids(open.latest?.data)).toEqual(['t2']);
    release();
    await done;
    await tick();
    expect(ids(open.latest?.data)).toEqual(['t2']);
  });

  it('puts a task back when the server refuses to mark it done', async () => {
    const s = setup((name) => {
      if (name === 'TaskSetStatus') return Promise.resolve({ setTaskStatus: null });
      return { tasks: connection([task('t2', 20), task('t1', 10)]) };
    });
    const open = s.watch(InboxTasksDocument, { status: 'OPEN', first: 30 });
    await tick();
    await s.client.mutation(TaskSetStatusDocument, { taskId: 't1', status: 'DONE' }).toPromise();
    await tick();
    expect(ids(open.latest?.data)).toEqual(['t2', 't1']);
  });

  it('updates the assignee in every list from the mutation result', async () => {
    const s = setup((name) => {
      if (name === 'TaskAssign') return { assignTask: { __typename: 'Task', id: 't1', updatedAt: at(59), assignee: ada } };
      return { tasks: connection([task('t2', 20), task('t1', 10)]) };
    });
    const unassigned = s.watch(InboxTasksDocument, { status: 'OPEN', unassigned: true, first: 30 });
    await tick();
    await s.client.mutation(TaskAssignDocument, { taskId: 't1', memberId: 'm1' }).toPromise();
    await tick();
    expect(ids(unassigned.latest?.data)).toEqual(['t2']);
  });
});

describe('a task conversation', () => {
  function detail(): Json {
    return {
      task: {
        ...task('t1', 10),
        suggestedAssignee: null,
        triageReason: null,
        conversation: {
          __typename: 'Conversation',
          channel: 'SLACK',
          address: null,
          ourAddress: null,
          subject: null,
          replySubject: null,
          slackChannelId: 'C0SUPPORT1',
          slackChannelName: 'support',
          slackThreadTs: '1.2',
          integration: { __typename: 'Integration', id: 'i1', provider: 'SLACK', displayName: 'Acme', smsNumber: null, whatsappNumber: null, fromEmail: null },
        },
        messages: [message('m-in', { attachments: [{ __typename: 'Attachment', name: 'a.png', contentType: 'image/png', size: 10, url: 'http://x/a.png', omitted: null }] })],
      },
    };
  }

  it('appends a sent reply as queued, then follows its delivery and new messages live', async () => {
    const s = setup((name) => {
      if (name === 'TaskDetail') return detail();
      if (name === 'TaskReply') return { replyToTask: message('m-out', { direction: 'OUTBOUND', status: 'QUEUED', body: 'On it', fullBody: 'On it', author: ada, createdAt: at(11) }) };
      throw new Error(name);
    });
    const view = s.watch(TaskDetailDocument, { id: 't1' });
    const push = s.live(TaskMessageUpdatedDocument, { taskId: 't1' }, 'TaskMessageUpdated');
    await tick();
    const messages = () => (view.latest?.data as TaskDetailQuery | undefined)?.task?.messages.map((m) => `${m.id}:${m.status}`);
    expect(messages()).toEqual(['m-in:RECEIVED']);

    await s.client.mutation(TaskReplyDocument, { taskId: 't1', body: 'On it' }).toPromise();
    await tick();
    expect(messages()).toEqual(['m-in:RECEIVED', 'm-out:QUEUED']);

    await push({ messageUpdated: message('m-out', { direction: 'OUTBOUND', status: 'SENT', body: 'On it', fullBody: 'On it', author: ada, createdAt: at(11) }) });
    expect(messages()).toEqual(['m-in:RECEIVED', 'm-out:SENT']);

    await push({ messageUpdated: message('m-out', { direction: 'OUTBOUND', status: 'FAILED', error: 'channel_not_found', body: 'On it', fullBody: 'On it', author: ada, createdAt: at(11) }) });
    expect((view.latest?.data as TaskDetailQuery).task?.messages[1]).toMatchObject({ status: 'FAILED', error: 'channel_not_found' });

    await push({ messageUpdated: message('m-in-2', { body: 'Any news?', createdAt: at(12) }) });
    expect(messages()).toEqual(['m-in:RECEIVED', 'm-out:FAILED', 'm-in-2:RECEIVED']);
    // One request for the task; everything after came from the mutation and the events.
    expect(s.requests.map((r) => r.name)).toEqual(['TaskDetail', 'TaskReply']);
  });
});
