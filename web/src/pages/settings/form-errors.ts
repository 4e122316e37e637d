// Turns an API error into what a settings form shows: the message next to the
// field the server blamed (`extensions.field`) when the form has that field,
// otherwise above the form.
import type { FormErrors } from '../../channels/setup/types';
import type { UserFacingError } from '../../graphql/errors';

export type { FormErrors } from '../../channels/setup/types';

/**
 * @param shown the fields the form currently shows (API names)
 * @param aliases API field name → the form's field, where they differ
 */
export function toFormErrors(error: UserFacingError, shown: readonly string[], aliases: Record<string, string> = {}): FormErrors {
  const field = error.field === undefined ? undefined : resolveField(error.field, shown, aliases);
  return field ? { message: null, fields: { [field]: error.message } } : { message: error.message, fields: {} };
}

function resolveField(raw: string, shown: readonly string[], aliases: Record<string, string>): string | undefined {
  // Input objects may be blamed by path ("input.botToken"): try the whole name, then its last part.
  const candidates = [raw, raw.split('.').pop() ?? raw];
  for (const name of candidates) {
    const target = aliases[name] ?? name;
    if (shown.includes(target)) return target;
  }
  return undefined;
}

/** The first field with an error, in the form's order: the one to move focus to. */
export function firstInvalidField(errors: FormErrors, order: readonly string[]): string | undefined {
  return order.find((name) => name in errors.fields);
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.message !== null || Object.keys(errors.fields).length > 0;
}
