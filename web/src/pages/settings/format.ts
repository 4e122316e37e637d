// Small formatting rules for the settings screens.
import type { IntegrationStatus, Role } from '../../graphql/generated/graphql';

export const roleLabels: Record<Role, string> = { ADMIN: 'Admin', MEMBER: 'Member' };

export const roleDescriptions: Record<Role, string> = {
  ADMIN: 'Manages members, integrations and API keys, and works the inbox.',
  MEMBER: 'Works the inbox: triage, assignment and replies.',
};

export const statusLabels: Record<IntegrationStatus, string> = {
  CONNECTED: 'Connected',
  ERROR: 'Needs attention',
  DISCONNECTED: 'Disconnected',
};

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Mar 3, 2026"; empty for anything that is not a date. */
export function formatDate(value: unknown, locale?: string): string {
  const d = toDate(value);
  return d ? new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d) : '';
}

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then the date. */
export function formatRelative(value: unknown, now: Date = new Date(), locale?: string): string {
  const d = toDate(value);
  if (!d) return '';
  const seconds = Math.round((now.getTime() - d.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return rtf.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 7) return rtf.format(-days, 'day');
  return formatDate(d, locale);
}

/** Slack member ids typed as a list: split on commas and white space, deduplicated, in order. */
export function parseIdList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

/** An optional text input as the API wants it: trimmed, and omitted (undefined) when empty. */
export function optional(text: string): string | undefined {
  const v = text.trim();
  return v === '' ? undefined : v;
}

/** "Acme Support <support@acme.test>", or just the address. */
export function formatSender(name: string | null | undefined, email: string | null | undefined): string {
  if (!email) return name ?? '';
  return name ? `${name} <${email}>` : email;
}
