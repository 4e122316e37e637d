// Errors a client is meant to read. Anything else thrown in a resolver is
// masked by Yoga ("Unexpected error.") and logged, so internals never leak.
import { GraphQLError } from 'graphql';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

export function userError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'Sign in first: send "Authorization: Bearer <token>" with a session token or API key.') =>
  userError('UNAUTHENTICATED', message);

export const forbidden = (message = 'Only workspace admins can do this.') => userError('FORBIDDEN', message);

export const badInput = (message: string, field?: string) => userError('BAD_USER_INPUT', message, field ? { field } : {});

export const notFound = (what: string, id: string) => userError('NOT_FOUND', `No ${what} with id "${id}" in this workspace.`);
