// Shapes shared by the provider setup forms and whoever hosts them (the settings page).

/** What a form shows after a failed submit: a message per field it has, and a form-level one for the rest. */
export interface FormErrors {
  /** Shown above the form when the error names no field the form shows. */
  message: string | null;
  /** Field name (the API's argument or input field name) → message. */
  fields: Record<string, string>;
}

export const NO_ERRORS: FormErrors = Object.freeze({ message: null, fields: Object.freeze({}) }) as FormErrors;

/** What submitting a form to the API came to. */
export type SubmitResult<T = unknown> = { ok: true; value: T } | { ok: false; errors: FormErrors };
