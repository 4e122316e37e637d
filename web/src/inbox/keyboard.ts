// Inbox keyboard shortcuts as pure functions: which action a key press means,
// and where the cursor goes. Unit-tested in test/unit/web-inbox-keyboard.test.ts.

export type InboxAction = 'next' | 'prev' | 'open' | 'done' | 'reply' | 'back';

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  defaultPrevented?: boolean;
  isComposing?: boolean;
  target?: unknown;
}

interface ElementLike {
  tagName?: string;
  isContentEditable?: boolean;
  closest?: (selector: string) => unknown;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** Whether a key press happens where people type (inputs, text areas, selects, editable text). */
export function isTypingTarget(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as ElementLike;
  if (el.isContentEditable) return true;
  return typeof el.tagName === 'string' && TYPING_TAGS.has(el.tagName.toUpperCase());
}

/** Enter on a button, link or summary already does something; the shortcut stays out of its way. */
function isActivatable(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as ElementLike;
  const tag = el.tagName?.toUpperCase();
  return tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
}

/** The action a key press means in the inbox, or null (typing, modifiers, other keys). */
export function actionFor(e: KeyLike): InboxAction | null {
  if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTypingTarget(e.target)) return null;
  switch (e.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'prev';
    case 'Enter':
    case 'o':
      return isActivatable(e.target) ? null : 'open';
    case 'e':
      return 'done';
    case 'r':
      return 'reply';
    case 'Escape':
      return 'back';
    default:
      return null;
  }
}

/**
 * The cursor after moving by `delta` through `ids`: from nothing, "next" lands on
 * the first and "previous" on the last; it stops at either end.
 */
export function moveCursor(ids: readonly string[], current: string | null, delta: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return delta === 1 ? ids[0]! : ids[ids.length - 1]!;
  const next = Math.min(ids.length - 1, Math.max(0, at + delta));
  return ids[next]!;
}

/** Where the cursor goes when the task under it leaves the list: the one below, else the one above. */
export function cursorAfterRemoval(idsBefore: readonly string[], removed: string): string | null {
  const at = idsBefore.indexOf(removed);
  if (at === -1) return null;
  return idsBefore[at + 1] ?? idsBefore[at - 1] ?? null;
}
