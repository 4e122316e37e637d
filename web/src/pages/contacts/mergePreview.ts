// What merging two contacts will do, worked out before the admin confirms. It
// mirrors the server's mergeContacts: the kept contact takes each identity (and
// the name) it lacks from the other; where both have one, the kept contact's
// own stays and the other's is dropped; every task of the other contact moves;
// the other contact is deleted. Unit-tested in test/unit/web-contacts-merge.test.ts.
import { formatIdentity, IDENTITY_FIELDS, IDENTITY_LABELS, type ContactIdentity, type IdentityField } from './contactFormat';

export interface MergeContact extends ContactIdentity {
  id: string;
}

export type MergeField = 'name' | IdentityField;

export interface FieldChange {
  field: MergeField;
  label: string;
  /** As stored. */
  value: string;
  /** As shown (phones spaced). */
  display: string;
}

/** How many tasks the removed contact has: a count, and whether there are more than were counted. */
export interface TaskCount {
  count: number;
  more: boolean;
}

export interface MergePreview {
  kept: MergeContact;
  removed: MergeContact;
  /** What the kept contact gains from the removed one. */
  gains: FieldChange[];
  /** The removed contact's values that are lost because the kept contact has a different one. */
  dropped: FieldChange[];
  /** The kept contact as it will be after the merge. */
  result: ContactIdentity;
  /** The tasks that move to the kept contact; null while still being counted. */
  tasks: TaskCount | null;
}

const FIELDS: readonly MergeField[] = ['name', ...IDENTITY_FIELDS];

function label(field: MergeField): string {
  return field === 'name' ? 'Name' : IDENTITY_LABELS[field];
}

function clean(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

function same(field: MergeField, a: string, b: string): boolean {
  // Emails are stored lower-cased, but compare as the server's matching does: case-insensitively.
  return field === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

export function computeMergePreview(removed: MergeContact, kept: MergeContact, tasks: TaskCount | null): MergePreview {
  const gains: FieldChange[] = [];
  const dropped: FieldChange[] = [];
  const result: ContactIdentity = {};
  for (const field of FIELDS) {
    const own = clean(kept[field]);
    const other = clean(removed[field]);
    result[field] = own ?? other;
    if (!other) continue;
    const change = { field, label: label(field), value: other, display: field === 'name' ? other : formatIdentity(field, other) };
    if (!own) gains.push(change);
    else if (!same(field, own, other)) dropped.push(change);
  }
  return { kept, removed, gains, dropped, result, tasks };
}

const PHRASES: Record<MergeField, string> = {
  name: 'the name',
  email: 'the email',
  phone: 'the phone number',
  slackUserId: 'the Slack ID',
};

/** Changes as a phrase: "the name Sam, the email sam@example.com and the Slack ID U0SAM". */
export function describeChanges(changes: readonly FieldChange[]): string {
  const parts = changes.map((c) => `${PHRASES[c.field]} ${c.display}`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** "1 task", "12 tasks", "200+ tasks". */
export function countTasks(tasks: TaskCount): string {
  if (tasks.count === 1 && !tasks.more) return '1 task';
  return `${tasks.count}${tasks.more ? '+' : ''} tasks`;
}

/** "No tasks to move", "1 task moves", "12 tasks move", "200+ tasks move". */
export function describeTaskMove(tasks: TaskCount): string {
  if (tasks.count === 0 && !tasks.more) return 'No tasks to move';
  return `${countTasks(tasks)} ${tasks.count === 1 && !tasks.more ? 'moves' : 'move'}`;
}

/** The confirmation shown once the merge is done. */
export function describeMerged(removedName: string, keptName: string, tasks: TaskCount | null): string {
  const moved = tasks && (tasks.count > 0 || tasks.more) ? ` ${countTasks(tasks)} moved here.` : '';
  return `Merged ${removedName} into ${keptName}.${moved}`;
}
