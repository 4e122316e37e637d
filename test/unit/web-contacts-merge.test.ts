// The merge preview: what the kept contact gains, what is dropped, how many
// tasks move — the same rules as the server's mergeContacts.
import { describe, expect, it } from 'vitest';
import { computeMergePreview, countTasks, describeChanges, describeMerged, describeTaskMove } from '../../web/src/pages/contacts/mergePreview.ts';

const sam = { id: 'src', name: 'Sam Source', email: 'sam@example.com', phone: null, slackUserId: 'U0SAM' };
const texter = { id: 'tgt', name: null, email: null, phone: '+14155550131', slackUserId: null };

describe('computeMergePreview', () => {
  it('gives the kept contact the name and identities it lacks', () => {
    const p = computeMergePreview(sam, texter, { count: 2, more: false });
    expect(p.kept.id).toBe('tgt');
    expect(p.removed.id).toBe('src');
    expect(p.gains).toEqual([
      { field: 'name', label: 'Name', value: 'Sam Source', display: 'Sam Source' },
      { field: 'email', label: 'Email', value: 'sam@example.com', display: 'sam@example.com' },
      { field: 'slackUserId', label: 'Slack ID', value: 'U0SAM', display: 'U0SAM' },
    ]);
    expect(p.dropped).toEqual([]);
    expect(p.result).toEqual({ name: 'Sam Source', email: 'sam@example.com', phone: '+14155550131', slackUserId: 'U0SAM' });
    expect(p.tasks).toEqual({ count: 2, more: false });
  });

  it('keeps the kept contact\'s own values and reports the other\'s as dropped', () => {
    const wanda = { id: 'w1', name: 'Wanda WA', email: 'wanda.old@example.com', phone: '+14155550132', slackUserId: null };
    const target = { id: 'w2', name: 'Wanda Target', email: 'wanda@example.com', phone: null, slackUserId: null };
    const p = computeMergePreview(wanda, target, null);
    expect(p.gains.map((g) => [g.field, g.display])).toEqual([['phone', '+1 415 555 0132']]);
    expect(p.dropped.map((d) => [d.field, d.value])).toEqual([['name', 'Wanda WA'], ['email', 'wanda.old@example.com']]);
    expect(p.result).toEqual({ name: 'Wanda Target', email: 'wanda@example.com', phone: '+14155550132', slackUserId: null });
    expect(p.tasks).toBeNull();
  });

  it('neither gains nor drops what both already share (emails compared case-insensitively)', () => {
    const a = { id: 'a', name: 'Ann', email: 'ANN@example.com', phone: '+14155550100' };
    const b = { id: 'b', name: 'Ann', email: 'ann@example.com', phone: '+14155550100' };
    const p = computeMergePreview(a, b, { count: 0, more: false });
    expect(p.gains).toEqual([]);
    expect(p.dropped).toEqual([]);
  });

  it('treats blank values as missing', () => {
    const p = computeMergePreview({ id: 'a', name: '  ', email: 'a@example.com' }, { id: 'b', name: '', email: ' ' }, null);
    expect(p.gains.map((g) => g.field)).toEqual(['email']);
    expect(p.result.name).toBeNull();
  });
});

describe('wording', () => {
  it('counts the tasks that move', () => {
    expect(describeTaskMove({ count: 0, more: false })).toBe('No tasks to move');
    expect(describeTaskMove({ count: 1, more: false })).toBe('1 task moves');
    expect(describeTaskMove({ count: 12, more: false })).toBe('12 tasks move');
    expect(describeTaskMove({ count: 200, more: true })).toBe('200+ tasks move');
    expect(countTasks({ count: 1, more: false })).toBe('1 task');
  });

  it('lists changes as a phrase', () => {
    const p = computeMergePreview(sam, texter, null);
    expect(describeChanges(p.gains)).toBe('the name Sam Source, the email sam@example.com and the Slack ID U0SAM');
    expect(describeChanges(p.gains.slice(1))).toBe('the email sam@example.com and the Slack ID U0SAM');
    expect(describeChanges(computeMergePreview(texter, sam, null).gains)).toBe('the phone number +1 415 555 0131');
    expect(describeChanges([])).toBe('');
  });

  it('confirms the merge naming both sides', () => {
    expect(describeMerged('Sam Source', 'Sam', { count: 2, more: false })).toBe('Merged Sam Source into Sam. 2 tasks moved here.');
    expect(describeMerged('Sam Source', 'Sam', { count: 1, more: false })).toBe('Merged Sam Source into Sam. 1 task moved here.');
    expect(describeMerged('Sam Source', 'Sam', { count: 0, more: false })).toBe('Merged Sam Source into Sam.');
    expect(describeMerged('Sam Source', 'Sam', null)).toBe('Merged Sam Source into Sam.');
  });
});
