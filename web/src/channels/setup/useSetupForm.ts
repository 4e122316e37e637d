// State shared by the provider setup forms: values, the server's errors per
// field, pending, focus on the first invalid field, secrets cleared once connected.
import { nextTick, reactive, ref, shallowRef, useId } from 'vue';
import { secretFieldNames, type ProviderSetup } from './registry';
import { NO_ERRORS, type FormErrors, type SubmitResult } from './types';

/** Sends the input to the API; `shown` are the fields the form shows, so errors land next to them. */
export type ConnectFn<I> = (input: I, shown: string[]) => Promise<SubmitResult<unknown>>;

export interface SetupFormOptions<V extends Record<string, string>, I> {
  setup: ProviderSetup;
  initial: V;
  /** The fields shown right now, in the order they appear. */
  shown: (values: V) => string[];
  build: (values: V) => I;
  connect: () => ConnectFn<I>;
  onConnected: (value: unknown) => void;
}

export function useSetupForm<V extends Record<string, string>, I>(opts: SetupFormOptions<V, I>) {
  const prefix = useId();
  const values = reactive({ ...opts.initial }) as V;
  const errors = shallowRef<FormErrors>(NO_ERRORS);
  const pending = ref(false);
  const fieldId = (name: string) => `${prefix}-${name}`;

  async function submit() {
    if (pending.value) return;
    pending.value = true;
    errors.value = NO_ERRORS;
    try {
      const shown = opts.shown(values);
      const result = await opts.connect()(opts.build(values), shown);
      if (result.ok) {
        // Credentials are stored encrypted and never shown again, here included.
        for (const name of secretFieldNames(opts.setup)) if (name in values) (values as Record<string, string>)[name] = '';
        opts.onConnected(result.value);
        return;
      }
      errors.value = result.errors;
      const first = shown.find((name) => name in result.errors.fields);
      if (first) {
        await nextTick();
        document.getElementById(fieldId(first))?.focus();
      }
    } finally {
      pending.value = false;
    }
  }

  return { values, errors, pending, fieldId, submit };
}
