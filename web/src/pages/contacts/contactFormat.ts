// How a contact and its dates read on screen. Pure functions, unit-tested in
// test/unit/web-contacts-format.test.ts.

/** The identity fields every contact view selects. */
export interface ContactIdentity {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  slackUserId?: string | null;
}

import { formatPhone } from '../../lib/format';

// One phone format for the whole app (lib/format.ts); re-exported for this folder's callers.
export { formatPhone };

export type IdentityField = 'email' | 'phone' | 'slackUserId';

export const IDENTITY_LABELS: Record<IdentityField, string> = {
  email: 'Email',
  phone: 'Phone',
  slackUserId: 'Slack ID',
};

export const IDENTITY_FIELDS: readonly IdentityField[] = ['email', 'phone', 'slackUserId'];

/** An identity as it should read (phones spaced, others as stored). */
export function formatIdentity(field: IdentityField, value: string): string {
  return field === 'phone' ? formatPhone(value) : value;
}

/** The identities a contact has, in display order. */
export function identitiesOf(contact: ContactIdentity): { field: IdentityField; label: string; value: string; display: string }[] {
  return IDENTITY_FIELDS.flatMap((field) => {
    const value = contact[field]?.trim();
    return value ? [{ field, label: IDENTITY_LABELS[field], value, display: formatIdentity(field, value) }] : [];
  });
}

/** The name to show: the contact's name, else the best identity (email, phone, Slack id). */
export function displayName(contact: ContactIdentity): string {
  const name = contact.name?.trim();
  if (name) return name;
  const email = contact.email?.trim();
  if (email) return email;
  const phone = contact.phone?.trim();
  if (phone) return formatPhone(phone);
  const slack = contact.slackUserId?.trim();
  if (slack) return `Slack user ${slack}`;
  return 'Unnamed contact';
}

/** The identities not already shown as the display name, joined for a one-line summary. */
export function secondaryLine(contact: ContactIdentity): string {
  const ids = identitiesOf(contact);
  const shownAsName = hasName(contact) ? null : ids[0]?.field;
  return ids
    .filter((i) => i.field !== shownAsName)
    .map((i) => (i.field === 'slackUserId' ? `Slack ${i.display}` : i.display))
    .join(' · ');
}

/** Whether the contact has a real name (else displayName fell back to an identity). */
export function hasName(contact: ContactIdentity): boolean {
  return Boolean(contact.name?.trim());
}

/** One or two letters for an avatar: "Sam Source" → "SS", "sam@example.com" → "S", a phone → "#". */
export function initials(contact: ContactIdentity): string {
  const name = contact.name?.trim();
  if (name) {
    const words = name.split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w));
    const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words.slice(0, 1);
    const result = letters.map((w) => Array.from(w!.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '').join('');
    if (result) return result.toLocaleUpperCase();
  }
  const email = contact.email?.trim();
  if (email) return (Array.from(email)[0] ?? '?').toLocaleUpperCase();
  if (contact.phone?.trim()) return '#';
  if (contact.slackUserId?.trim()) return '@';
  return '?';
}

/** A stable hue (0–359) per contact id, so the same person keeps the same avatar colour. */
export function avatarHue(id: string): number {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

const DAY_MS = 86_400_000;

/** A calendar date: "Mar 4, 2026" (the year is dropped for this year's dates). */
export function formatDate(iso: string, now: Date = new Date(), locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) }).format(date);
}

/** The full date and time, for a tooltip or <time> title. */
export function formatDateTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** How long ago, compactly: "just now", "5m", "3h", "2d", "6w", then a date. */
export function formatAge(iso: string, now: Date = new Date(), locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const ms = Math.max(0, now.getTime() - date.getTime());
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  const days = Math.floor(ms / DAY_MS);
  if (days < 7) return `${days}d`;
  if (days < 60) return `${Math.floor(days / 7)}w`;
  return formatDate(iso, now, locale);
}

/** The age spelled out, for screen readers and tooltips: "3 hours ago". */
export function describeAge(iso: string, now: Date = new Date(), locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  if (abs < 60 * 86_400) return rtf.format(Math.round(seconds / (7 * 86_400)), 'week');
  return `on ${formatDate(iso, now, locale)}`;
}
