// A paged, live list of tasks. Each loaded page is its own cached query, so the
// cache keeps every page current (new tasks land in the first page, changes
// apply by id) and paging never refetches what is loaded.
import { useClientHandle, type CombinedError, type RequestPolicy } from '@urql/vue';
import { computed, onScopeDispose, shallowRef, watch, type MaybeRefOrGetter, toValue } from 'vue';
import { connectionState } from '../graphql/client';
import { describeError } from '../graphql/errors';
import { InboxTasksDocument, type InboxTaskFieldsFragment, type InboxTasksQuery, type InboxTasksQueryVariables } from '../graphql/generated/graphql';
import { mergePages, PAGE_SIZE, type TaskListArgs } from '../inbox/filters';

export type TaskListItem = InboxTaskFieldsFragment;

interface Page {
  after: string | null;
  data: InboxTasksQuery['tasks'] | undefined;
  fetching: boolean;
  error: CombinedError | undefined;
}

/** `args` null pauses the list (e.g. "mine" before the viewer is known). */
export function useTaskList(args: MaybeRefOrGetter<TaskListArgs | null>, pageSize = PAGE_SIZE) {
  const { client } = useClientHandle();
  const pages = shallowRef<Page[]>([]);
  let subscriptions: { unsubscribe(): void }[] = [];

  function stop() {
    for (const s of subscriptions) s.unsubscribe();
    subscriptions = [];
  }

  function setPage(index: number, patch: Partial<Page>) {
    const next = pages.value.slice();
    next[index] = { ...next[index]!, ...patch };
    pages.value = next;
  }

  function open(index: number, after: string | null, requestPolicy: RequestPolicy) {
    const current = toValue(args);
    if (!current) return;
    const variables: InboxTasksQueryVariables = { ...current, first: pageSize, ...(after ? { after } : {}) };
    const next = pages.value.slice();
    next[index] = { after, data: pages.value[index]?.data, fetching: true, error: undefined };
    pages.value = next;
    subscriptions[index]?.unsubscribe();
    // A query source stays open: the cache pushes every later change of this page through it.
    subscriptions[index] = client.query(InboxTasksDocument, variables, { requestPolicy }).subscribe((result) => {
      setPage(index, { data: result.data?.tasks ?? pages.value[index]?.data, fetching: !!result.stale, error: result.error });
    });
  }

  function reset() {
    stop();
    pages.value = [];
    // Cached pages show at once; one request brings them up to date.
    if (toValue(args)) open(0, null, 'cache-and-network');
  }

  watch(() => JSON.stringify(toValue(args)), reset, { immediate: true });

  // Events sent while the socket was down are lost: catch up once it is back.
  watch(connectionState, (state, before) => {
    if (state === 'connected' && before === 'reconnecting') pages.value.forEach((p, i) => open(i, p.after, 'network-only'));
  });

  onScopeDispose(stop);

  const last = computed(() => pages.value.at(-1));
  const tasks = computed<TaskListItem[]>(() => mergePages(pages.value.map((p) => p.data?.edges.map((e) => e.node) ?? [])));
  const hasMore = computed(() => !!last.value?.data?.pageInfo.hasNextPage);
  const firstPage = computed(() => pages.value[0]);
  const errorValue = computed(() => pages.value.find((p) => p.error)?.error);

  function loadMore() {
    const page = last.value;
    const cursor = page?.data?.pageInfo.endCursor;
    if (!page || page.fetching || !page.data?.pageInfo.hasNextPage || !cursor) return;
    open(pages.value.length, cursor, 'cache-first');
  }

  return {
    tasks,
    /** Nothing to show yet. */
    loading: computed(() => !!firstPage.value?.fetching && !firstPage.value.data),
    loadingMore: computed(() => pages.value.length > 1 && !!last.value?.fetching),
    hasMore,
    error: computed(() => (errorValue.value ? describeError(errorValue.value) : null)),
    loadMore,
    retry: reset,
  };
}
