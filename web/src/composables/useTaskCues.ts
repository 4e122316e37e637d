// The quiet cue for what arrived live: tasks created while the inbox was open
// stay marked until someone opens them. Kept per session, in memory.
import { computed, reactive, ref, watch } from 'vue';
import { sessionToken } from './useSession';

const fresh = reactive(new Set<string>());
/** The last thing worth saying to a screen reader about live changes. */
const announcement = ref('');

watch(sessionToken, () => {
  fresh.clear();
  announcement.value = '';
});

export function markFresh(taskId: string): void {
  fresh.add(taskId);
}

export function announce(text: string): void {
  // Clearing first (and rendering that) makes an identical message be read again.
  announcement.value = '';
  setTimeout(() => (announcement.value = text), 50);
}

export function useTaskCues() {
  return {
    isFresh: (taskId: string) => fresh.has(taskId),
    markSeen: (taskId: string) => void fresh.delete(taskId),
    freshCount: computed(() => fresh.size),
    announcement: computed(() => announcement.value),
  };
}
