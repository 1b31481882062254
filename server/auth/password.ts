import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing: argon2id with OWASP's minimum profile (19 MiB memory, 2 passes, 1 lane).
 * The PHC string carries its parameters, so raising them later still verifies old hashes.
 */
export const ARGON2_OPTIONS = {
  // Algorithm.Argon2id is an ambient const enum (not importable under isolatedModules); 2 = Argon2id.
  algorithm: 2,
  memoryCost: 19456, // KiB
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(data: { hash: string; password: string }): Promise<boolean> {
  try {
    return await verify(data.hash, data.password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a 500.
    return false;
  }
}
