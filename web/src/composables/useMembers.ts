import { useQuery } from '@urql/vue';
import { computed } from 'vue';
import { TaskMembersDocument } from '../graphql/generated/graphql';

/** The workspace's members, for assigning. */
export function useMembers() {
  const query = useQuery({ query: TaskMembersDocument });
  return {
    members: computed(() => [...(query.data.value?.members ?? [])].sort((a, b) => a.name.localeCompare(b.name))),
    loading: query.fetching,
  };
}
