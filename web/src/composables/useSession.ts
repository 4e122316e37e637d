import { useMutation, type CombinedError } from '@urql/vue';
import { computed, readonly, ref, shallowRef } from 'vue';
import { useRouter } from 'vue-router';
import { SignInDocument, SignOutDocument, SignUpDocument, type SignInMutationVariables, type SignUpMutationVariables } from '../graphql/generated/graphql';
import { describeError, type UserFacingError } from '../graphql/errors';

const STORAGE_KEY = 'parley.session';

function readStoredToken(): string | null {
  // Storage can be unavailable (blocked cookies, some private modes): run signed out instead of crashing.
  try {
    return localStorage.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

const token = ref<string | null>(readStoredToken());

function writeToken(value: string | null): void {
  token.value = value;
  try {
    if (value) localStorage.setItem(STORAGE_KEY, value);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // The session still works for this tab; it just won't survive a reload.
  }
}

// Signing in or out in one tab applies to every open tab.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY || event.key === null) token.value = readStoredToken();
});

/** The current session token, read at call time so connections always use the latest one. */
export function currentToken(): string | null {
  return token.value;
}

export const sessionToken = readonly(token);
export const isSignedIn = computed(() => token.value !== null);

/** Forgets a token the server no longer accepts. */
export function dropSession(): void {
  writeToken(null);
}

export function useSession() {
  const router = useRouter();
  const signInMutation = useMutation(SignInDocument);
  const signUpMutation = useMutation(SignUpDocument);
  const signOutMutation = useMutation(SignOutDocument);
  const error = shallowRef<UserFacingError | null>(null);
  const pending = computed(() => signInMutation.fetching.value || signUpMutation.fetching.value);

  function settle(payload: { token: string } | undefined, failure: CombinedError | undefined): boolean {
    if (payload) {
      writeToken(payload.token);
      return true;
    }
    error.value = failure ? describeError(failure) : { message: 'Something went wrong. Please try again.' };
    return false;
  }

  /** Resolves to true once signed in; otherwise `error` says why. */
  async function signIn(variables: SignInMutationVariables): Promise<boolean> {
    error.value = null;
    const result = await signInMutation.executeMutation(variables);
    return settle(result.data?.signIn, result.error);
  }

  /** Creates a workspace with its first admin and signs them in. */
  async function signUp(variables: SignUpMutationVariables): Promise<boolean> {
    error.value = null;
    const result = await signUpMutation.executeMutation(variables);
    return settle(result.data?.signUp, result.error);
  }

  /** Ends the session on the server too, so a copied token stops working; signs out locally even if that call fails. */
  async function signOut(): Promise<void> {
    await signOutMutation.executeMutation({}).catch(() => undefined);
    writeToken(null);
    await router.push({ name: 'signin' });
  }

  return { signIn, signUp, signOut, pending, error: readonly(error), isSignedIn };
}
