// Inbox shortcuts: which key means what, and where the cursor goes.
import { describe, expect, it } from 'vitest';
import { actionFor, cursorAfterRemoval, isTypingTarget, moveCursor } from '../../web/src/inbox/keyboard.ts';

describe('actionFor', () => {
  const body = { tagName: 'BODY' };

  it('maps the inbox keys', () => {
    expect(actionFor({ key: 'j', target: body })).toBe('next');
    expect(actionFor({ key: 'k', target: body })).toBe('prev');
    expect(actionFor({ key: 'Enter', target: body })).toBe('open');
    expect(actionFor({ key: 'e', target: body })).toBe('done');
    expect(actionFor({ key: 'r', target: body })).toBe('reply');
    expect(actionFor({ key: 'Escape', target: body })).toBe('back');
    expect(actionFor({ key: 'x', target: body })).toBeNull();
  });

  it('stays out of the way while typing or with modifiers', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT', 'input']) expect(actionFor({ key: 'j', target: { tagName } })).toBeNull();
    expect(actionFor({ key: 'e', target: { tagName: 'DIV', isContentEditable: true } })).toBeNull();
    expect(actionFor({ key: 'j', ctrlKey: true, target: body })).toBeNull();
    expect(actionFor({ key: 'j', metaKey: true, target: body })).toBeNull();
    expect(actionFor({ key: 'j', defaultPrevented: true, target: body })).toBeNull();
    expect(actionFor({ key: 'j', isComposing: true, target: body })).toBeNull();
  });

  it('lets Enter activate a focused button or link itself', () => {
    expect(actionFor({ key: 'Enter', target: { tagName: 'BUTTON' } })).toBeNull();
    expect(actionFor({ key: 'Enter', target: { tagName: 'A' } })).toBeNull();
    expect(actionFor({ key: 'j', target: { tagName: 'A' } })).toBe('next');
  });

  it('knows typing targets', () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
  });
});

describe('cursor', () => {
  const ids = ['a', 'b', 'c'];

  it('starts at either end and stops there', () => {
    expect(moveCursor(ids, null, 1)).toBe('a');
    expect(moveCursor(ids, null, -1)).toBe('c');
    expect(moveCursor(ids, 'a', 1)).toBe('b');
    expect(moveCursor(ids, 'c', 1)).toBe('c');
    expect(moveCursor(ids, 'a', -1)).toBe('a');
    expect(moveCursor(ids, 'gone', 1)).toBe('a');
    expect(moveCursor([], null, 1)).toBeNull();
  });

  it('moves to the next task when its task leaves the list, else the previous', () => {
    expect(cursorAfterRemoval(ids, 'b')).toBe('c');
    expect(cursorAfterRemoval(ids, 'c')).toBe('b');
    expect(cursorAfterRemoval(['a'], 'a')).toBeNull();
    expect(cursorAfterRemoval(ids, 'x')).toBeNull();
  });
});
