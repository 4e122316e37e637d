// How numbers, sizes and times read on screen. Pure functions, unit-tested in
// test/unit/web-format.test.ts.

// Country calling codes of two digits (ITU E.164 list). +1 and +7 are the
// one-digit codes; every other code has three digits.
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]);

/** Group sizes by national number length, the way most numbers are read out. */
const GROUPS: Record<number, number[]> = {
  5: [2, 3],
  6: [3, 3],
  7: [3, 4],
  8: [4, 4],
  9: [3, 3, 3],
  10: [3, 3, 4],
  11: [4, 3, 4],
};

function groupDigits(digits: string): string {
  // Longer numbers: threes, with a last group of four.
  const sizes = GROUPS[digits.length] ?? (digits.length <= 4 ? [digits.length] : [...Array(Math.ceil((digits.length - 4) / 3)).fill(3), 4]);
  const groups: string[] = [];
  let rest = digits;
  // Fill from the end, so a short remainder lands in the first group.
  for (const size of [...sizes].reverse()) {
    groups.unshift(rest.slice(-size));
    rest = rest.slice(0, -size);
  }
  if (rest) groups[0] = rest + groups[0];
  return groups.filter(Boolean).join(' ');
}

/**
 * An E.164 number spaced for reading: "+14155550100" → "+1 415 555 0100",
 * "+34612345678" → "+34 612 345 678". Anything else is returned as given.
 */
export function formatPhone(phone: string | null | undefined): string {
  const value = (phone ?? '').trim().replace(/^whatsapp:/i, '');
  if (!/^\+\d{6,15}$/.test(value)) return value;
  const digits = value.slice(1);
  if (digits.length === 11 && digits.startsWith('1')) return `+1 ${digits.slice(1, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`;
  const cc = digits.startsWith('1') || digits.startsWith('7') ? 1 : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  return `+${digits.slice(0, cc)} ${groupDigits(digits.slice(cc))}`;
}

/** "840 B", "12 KB", "3.4 MB". */
export function formatBytes(size: number | null | undefined): string {
  if (size == null || !Number.isFinite(size) || size < 0) return '';
  if (size < 1000) return `${size} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = size / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value)} ${units[unit]}`;
}

/** A DateTime from the API (an ISO string; typed unknown by codegen) as a Date. */
export function toDate(value: unknown): Date {
  return new Date(typeof value === 'string' || typeof value === 'number' || value instanceof Date ? value : NaN);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * A short age for dense lists: "now", "4m", "3h", then "Yesterday", the weekday
 * within a week, "Mar 4" this year, "Mar 4, 2024" before.
 */
export function formatAge(iso: unknown, now: Date = new Date()): string {
  const then = toDate(iso);
  const ms = now.getTime() - then.getTime();
  if (Number.isNaN(ms)) return '';
  if (ms < MINUTE) return 'now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m`;
  if (ms < 12 * HOUR || (ms < DAY && sameDay(then, now))) return `${Math.floor(ms / HOUR)}h`;
  const yesterday = new Date(now.getTime() - DAY);
  if (sameDay(then, yesterday)) return 'Yesterday';
  if (ms < 6 * DAY) return then.toLocaleDateString('en-US', { weekday: 'short' });
  const thisYear = then.getFullYear() === now.getFullYear();
  return then.toLocaleDateString('en-US', thisYear ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', year: 'numeric' });
}

/** The same age in words for screen readers and tooltips: "4 minutes ago". */
export function formatAgeLong(iso: unknown, now: Date = new Date()): string {
  const ms = now.getTime() - toDate(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return plural(Math.floor(ms / HOUR), 'hour');
  return formatDateTime(iso);
}

/** "Mar 4, 2026, 9:30 AM": message times and tooltips. */
export function formatDateTime(iso: unknown): string {
  const d = toDate(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString('en-US', { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** "9:30 AM" today, else "Mar 4, 9:30 AM" (with the year when not this year). */
export function formatMessageTime(iso: unknown, now: Date = new Date()): string {
  const d = toDate(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  if (sameDay(d, now)) return time;
  const date = d.toLocaleDateString('en-US', d.getFullYear() === now.getFullYear() ? { month: 'short', day: 'numeric' } : { month: 'short', day: 'numeric', year: 'numeric' });
  return `${date}, ${time}`;
}

export interface PersonLike {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  slackUserId?: string | null;
}

/** A contact's name, else its best identity. */
export function personName(p: PersonLike | null | undefined): string {
  if (!p) return 'Unknown';
  return p.name?.trim() || p.email?.trim() || (p.phone ? formatPhone(p.phone) : '') || (p.slackUserId ? `Slack user ${p.slackUserId}` : '') || 'Unnamed contact';
}

/** One or two letters for an avatar. */
export function initialsOf(p: PersonLike | null | undefined): string {
  const name = p?.name?.trim();
  if (name) {
    const words = name.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    const picked = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
    const letters = picked.map((w) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '').join('');
    if (letters) return letters.toLocaleUpperCase();
  }
  if (p?.email) return (Array.from(p.email.trim())[0] ?? '?').toLocaleUpperCase();
  if (p?.phone) return '#';
  return '?';
}

/** A stable hue per id, so a person keeps the same avatar colour everywhere. */
export function hueOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}
