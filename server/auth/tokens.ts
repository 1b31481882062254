import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens for scripts: `lj_` + 32 random bytes (base64url). Only the sha256 is stored, so a
 * database leak yields no usable token; the first characters (`prefix`) are kept to tell
 * tokens apart in lists. The plaintext is shown once, at creation.
 */
export const TOKEN_PREFIX = 'lj_';
export const TOKEN_PREFIX_SHOWN = 11; // 'lj_' + 8 characters

export function generateApiToken(): { token: string; prefix: string; hash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, prefix: token.slice(0, TOKEN_PREFIX_SHOWN), hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Shape check before any database work: malformed bearer values are refused cheaply. */
export function looksLikeApiToken(token: string): boolean {
  return /^lj_[A-Za-z0-9_-]{43}$/.test(token);
}
