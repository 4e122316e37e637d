import type { CombinedError } from '@urql/vue';
import { describeError, type UserFacingError } from '../../graphql/errors';

/** A mutation's result as the settings screens use it. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: UserFacingError };

/** Picks the payload out of an urql result, or says what went wrong in words for people. */
export function outcome<T>(value: T | null | undefined, error: CombinedError | undefined): Outcome<T> {
  if (error) return { ok: false, error: describeError(error) };
  if (value === null || value === undefined) return { ok: false, error: { message: 'Something went wrong. Please try again.' } };
  return { ok: true, value };
}
