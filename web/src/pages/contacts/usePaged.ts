// A connection shown page by page: the first page loads when the inputs change
// (after a pause while they keep changing, e.g. typing a search), and loadMore()
// appends the next. Answers to superseded requests are ignored.
import type { CombinedError } from '@urql/vue';
import { computed, onScopeDispose, readonly, ref, shallowRef, watch, type WatchSource } from 'vue';
import { describeError, type UserFacingError } from '../../graphql/errors';
import { appendUnique, type Page } from './paging';

export type PagedStatus = 'loading' | 'ready' | 'error';

export interface PagedOptions<T> {
  /** The inputs; a change starts over from the first page. */
  source: WatchSource<unknown>;
  fetchPage: (after: string | null) => Promise<{ page?: Page<T>; error?: CombinedError }>;
  /** How long the inputs must stay unchanged before the first page is fetched again; the first load is immediate. */
  debounceMs?: number;
}

export function usePaged<T extends { id: string }>(options: PagedOptions<T>) {
  const items = shallowRef<T[]>([]);
  const status = ref<PagedStatus>('loading');
  const error = shallowRef<UserFacingError | null>(null);
  const hasNextPage = ref(false);
  const loadingMore = ref(false);
  /** Whether what is shown is for older inputs than the current ones (a new search is on its way). */
  const stale = ref(false);
  let endCursor: string | null = null;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function fail(failure: CombinedError | undefined): UserFacingError {
    return failure ? describeError(failure) : { message: 'Something went wrong. Please try again.' };
  }

  async function loadFirst(): Promise<void> {
    const mine = ++generation;
    if (items.value.length === 0) status.value = 'loading';
    error.value = null;
    loadingMore.value = false;
    const result = await options.fetchPage(null).catch(() => ({ page: undefined, error: undefined }));
    if (mine !== generation) return;
    stale.value = false;
    if (result.page) {
      items.value = result.page.nodes;
      endCursor = result.page.endCursor;
      hasNextPage.value = result.page.hasNextPage;
      status.value = 'ready';
    } else {
      items.value = [];
      hasNextPage.value = false;
      error.value = fail(result.error);
      status.value = 'error';
    }
  }

  async function loadMore(): Promise<void> {
    if (loadingMore.value || !hasNextPage.value || status.value !== 'ready' || stale.value) return;
    const mine = generation;
    loadingMore.value = true;
    error.value = null;
    const result = await options.fetchPage(endCursor).catch(() => ({ page: undefined, error: undefined }));
    if (mine !== generation) return;
    loadingMore.value = false;
    if (result.page) {
      items.value = appendUnique(items.value, result.page.nodes);
      endCursor = result.page.endCursor;
      hasNextPage.value = result.page.hasNextPage;
    } else {
      // What is shown stays; the error sits by the "load more" button, which can be pressed again.
      error.value = fail(result.error);
    }
  }

  function schedule(immediate: boolean): void {
    clearTimeout(timer);
    if (immediate || !options.debounceMs) {
      void loadFirst();
      return;
    }
    stale.value = true;
    // Requests still in flight for the old inputs must not land now.
    generation++;
    loadingMore.value = false;
    timer = setTimeout(() => void loadFirst(), options.debounceMs);
  }

  watch(options.source, () => schedule(false));
  schedule(true);
  onScopeDispose(() => {
    clearTimeout(timer);
    generation++;
  });

  return {
    items: computed(() => items.value),
    status: readonly(status),
    error: readonly(error),
    hasNextPage: readonly(hasNextPage),
    loadingMore: readonly(loadingMore),
    stale: readonly(stale),
    loadMore,
    /** Fetches the first page again now (after a change elsewhere, or to retry). */
    reload: () => schedule(true),
  };
}
