import { onScopeDispose, ref, type Ref } from 'vue';

const now = ref(new Date());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/** The current time, ticking every 30 s while anything on screen shows an age; one timer for all. */
export function useNow(): Readonly<Ref<Date>> {
  if (users++ === 0) {
    now.value = new Date();
    timer = setInterval(() => (now.value = new Date()), 30_000);
  }
  onScopeDispose(() => {
    if (--users === 0) clearInterval(timer);
  });
  return now;
}
