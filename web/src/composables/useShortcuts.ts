import { onBeforeUnmount, onMounted } from 'vue';
import { actionFor, type InboxAction } from '../inbox/keyboard';

/** Calls `handler` for inbox shortcuts (j, k, Enter, e, r, Esc) pressed outside text fields while mounted. */
export function useShortcuts(handler: (action: InboxAction, event: KeyboardEvent) => boolean | void) {
  const onKey = (event: KeyboardEvent) => {
    const action = actionFor(event);
    if (!action) return;
    // The handler returns false when the key meant nothing here, leaving it to the browser.
    if (handler(action, event) !== false) event.preventDefault();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
