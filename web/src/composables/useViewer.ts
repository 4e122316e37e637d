import { useQuery, type Client } from '@urql/vue';
import { computed, type Ref } from 'vue';
import { MeDocument, type Role } from '../graphql/generated/graphql';
import { describeError } from '../graphql/errors';
import { isSignedIn } from './useSession';

/** The signed-in member and their workspace. */
export function useViewer() {
  // Paused once signed out, so the sign-out itself does not refetch as nobody.
  const query = useQuery({ query: MeDocument, pause: () => !isSignedIn.value });

  return {
    member: computed(() => query.data.value?.me),
    workspace: computed(() => query.data.value?.workspace),
    isAdmin: computed(() => query.data.value?.me.role === 'ADMIN'),
    loading: query.fetching,
    error: computed(() => (query.error.value ? describeError(query.error.value) : null)),
    retry: () => query.executeQuery({ requestPolicy: 'network-only' }),
  };
}

/**
 * The signed-in member's role, for the router's guards (outside components).
 * Served from the cache after the first look; null when it cannot be known.
 */
export function viewerRoleLoader(client: Ref<Client>): () => Promise<Role | null> {
  return async () => {
    if (!isSignedIn.value) return null;
    const result = await client.value.query(MeDocument, {}).toPromise();
    return result.data?.me.role ?? null;
  };
}
