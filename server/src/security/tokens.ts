// Session tokens and API keys: 256 random bits, shown once, stored only as a
// SHA-256 hash (a fast hash is right here: the input is uniformly random, so
// there is nothing to brute-force). The prefix tells the two kinds apart.
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_PREFIX = 'prl_s_';
export const API_KEY_PREFIX = 'prl_k_';

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The part of a key that is safe to show in a list ("prl_k_AbCd…"). */
export function displayPrefix(token: string): string {
  return token.slice(0, API_KEY_PREFIX.length + 6);
}
