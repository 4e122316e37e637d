import { useSubscription } from '@urql/vue';
import { computed } from 'vue';
import { connectionState } from '../graphql/client';
import { TaskCreatedDocument } from '../graphql/generated/graphql';
import { isSignedIn } from './useSession';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Keeps the live connection open while the caller is mounted and reports its health. */
export function useLiveStatus() {
  const feed = useSubscription({ query: TaskCreatedDocument, pause: () => !isSignedIn.value });

  const status = computed<LiveStatus>(() => {
    // The subscription ends only if the server refuses it or the socket gives up for good.
    if (!feed.fetching.value) return 'offline';
    switch (connectionState.value) {
      case 'connected':
        return 'live';
      case 'reconnecting':
        return 'reconnecting';
      default:
        return 'connecting';
    }
  });

  return { status };
}
