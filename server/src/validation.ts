// Input checks shared by the GraphQL modules. Each returns the normalised value
// or throws a BAD_USER_INPUT error that names the field and what is expected.
import { badInput } from './errors.ts';
import { toE164 } from './phone.ts';
import { MIN_PASSWORD_LENGTH } from './security/passwords.ts';

// Deliberately simple: one @, something on each side, a dot in the domain.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;

export function requiredText(value: string, field: string, max = 200): string {
  const v = value.trim();
  if (!v) throw badInput(`${field} must not be empty.`, field);
  if (v.length > max) throw badInput(`${field} must be at most ${max} characters.`, field);
  return v;
}

export function email(value: string, field = 'email'): string {
  const v = value.trim().toLowerCase();
  if (v.length > 254 || !EMAIL.test(v)) throw badInput(`"${value}" is not an email address.`, field);
  return v;
}

export function password(value: string): string {
  if (value.length < MIN_PASSWORD_LENGTH) throw badInput(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`, 'password');
  if (value.length > 1024) throw badInput('The password must be at most 1024 characters.', 'password');
  return value;
}

export function optionalPhone(value: string | null | undefined, field = 'phone'): string | null {
  if (value == null || value.trim() === '') return null;
  const v = value.trim().startsWith('+') || value.trim().startsWith('00') ? toE164(value) : null;
  if (!v) throw badInput(`${field} must be a phone number in international form, like +14155550100 (got "${value}").`, field);
  return v;
}

export function optionalSlackUserId(value: string | null | undefined): string | null {
  if (value == null || value.trim() === '') return null;
  const v = value.trim();
  if (!SLACK_USER.test(v)) throw badInput(`slackUserId must be a Slack user id like U01ABCDEF (got "${value}").`, 'slackUserId');
  return v;
}

interface UniqueViolation {
  code: 'P2002';
  meta?: {
    /** Classic Prisma engines: the columns. */
    target?: string[] | string;
    /** Prisma 7 with a driver adapter: the violated constraint (e.g. "Member_workspaceId_slackUserId_key"). */
    driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } };
  };
}

/** Prisma's unique-violation error, narrowed. */
export function isUniqueViolation(err: unknown): err is UniqueViolation {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

/** What a unique violation is about, as one string to search for a column name: the target columns or the constraint's name. */
export function uniqueViolationTarget(err: UniqueViolation): string {
  const constraint = err.meta?.driverAdapterError?.cause?.constraint;
  return [err.meta?.target, constraint?.fields, constraint?.index].flat().filter(Boolean).join(',');
}
