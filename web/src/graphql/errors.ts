import type { CombinedError } from '@urql/vue';

/** Codes the server puts in a GraphQL error's `extensions.code`. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

export interface UserFacingError {
  message: string;
  /** The argument the server blamed (BAD_USER_INPUT, CONFLICT), so a form can mark that input. */
  field?: string;
}

export function hasErrorCode(error: CombinedError, code: ErrorCode): boolean {
  return error.graphQLErrors.some((e) => e.extensions?.code === code);
}

export function describeError(error: CombinedError): UserFacingError {
  const first = error.graphQLErrors[0];
  if (!first) {
    return { message: "Can't reach Parley right now. Check your connection and try again." };
  }
  const field = first.extensions?.field;
  // The server masks unexpected failures, so any message it sends is meant for people.
  return typeof field === 'string' ? { message: first.message, field } : { message: first.message };
}
