import type { Db } from '../../db/client';
import { countInWindow } from '../services/request-limit';

/**
 * The per-address sign-in limiter: 10 attempts (passwords and second-factor codes together) per
 * address per minute, in Postgres so it holds across every server process. Fixed windows,
 * counted atomically by one upsert (parallel requests each get their own count).
 */
export const SIGN_IN_LIMIT = { max: 10, windowMs: 60_000 } as const;

/** Counts one request under `key`; returns the count in the current window (1 for the first). */
export function countSignInRequest(db: Db, key: string, now = Date.now()): Promise<number> {
  return countInWindow(db, key, SIGN_IN_LIMIT.windowMs, now);
}
