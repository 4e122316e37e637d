import { useSubscription } from '@urql/vue';
import { computed } from 'vue';
import { connectionState } from '../graphql/client';
import { TaskCreatedDocument, TaskUpdatedDocument, type TaskCreatedSubscription } from '../graphql/generated/graphql';
import { personName } from '../lib/format';
import { announce, markFresh } from './useTaskCues';
import { isSignedIn } from './useSession';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * The signed-in app's live feed, held open by the shell for the whole session:
 * new and changed tasks flow into the cache (see graphql/cache.ts), so every list
 * and view stays current. Reports the connection's health.
 */
export function useLiveStatus() {
  const paused = () => !isSignedIn.value;
  const created = useSubscription({ query: TaskCreatedDocument, pause: paused }, (_prev: unknown, data: TaskCreatedSubscription) => {
    const task = data.taskCreated;
    markFresh(task.id);
    announce(`New task from ${personName(task.contact)}: ${task.title}`);
    return data;
  });
  const updated = useSubscription({ query: TaskUpdatedDocument, pause: paused });

  const status = computed<LiveStatus>(() => {
    // A subscription ends only if the server refuses it or the socket gives up for good.
    if (!created.fetching.value || !updated.fetching.value) return 'offline';
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
