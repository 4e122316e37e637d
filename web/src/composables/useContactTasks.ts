import { useQuery } from '@urql/vue';
import { computed, type MaybeRefOrGetter, toValue } from 'vue';
import { TaskContactTasksDocument } from '../graphql/generated/graphql';

/** A contact's latest tasks (newest first), live through the cache. */
export function useContactTasks(contactId: MaybeRefOrGetter<string | null | undefined>, first = 8) {
  const query = useQuery({
    query: TaskContactTasksDocument,
    variables: () => ({ contactId: toValue(contactId) ?? '', first }),
    pause: () => !toValue(contactId),
  });
  return {
    tasks: computed(() => query.data.value?.tasks.edges.map((e) => e.node) ?? []),
    hasMore: computed(() => !!query.data.value?.tasks.pageInfo.hasNextPage),
    loading: query.fetching,
  };
}
