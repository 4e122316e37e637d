import { useQuery } from '@urql/vue';
import { computed } from 'vue';
import { MeDocument } from '../graphql/generated/graphql';
import { describeError } from '../graphql/errors';
import { isSignedIn } from './useSession';

/** The signed-in member and their workspace. */
export function useViewer() {
  // Paused once signed out, so the sign-out itself does not refetch as nobody.
  const query = useQuery({ query: MeDocument, pause: () => !isSignedIn.value });

  return {
    member: computed(() => query.data.value?.me),
    workspace: computed(() => query.data.value?.workspace),
    loading: query.fetching,
    error: computed(() => (query.error.value ? describeError(query.error.value) : null)),
    retry: () => query.executeQuery({ requestPolicy: 'network-only' }),
  };
}
