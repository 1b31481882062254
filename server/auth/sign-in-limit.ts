import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { authRateLimits } from '../../db/schema/auth';

/**
 * The per-address sign-in limiter: 10 attempts (passwords and second-factor codes together) per
 * address per minute, in Postgres so it holds across every server process. Fixed windows,
 * counted atomically by one upsert (parallel requests each get their own count).
 */
export const SIGN_IN_LIMIT = { max: 10, windowMs: 60_000 } as const;

/** Counts one request under `key`; returns the count in the current window (1 for the first). */
export async function countSignInRequest(db: Db, key: string, now = Date.now()): Promise<number> {
  const windowStart = now - SIGN_IN_LIMIT.windowMs;
  const [row] = await db
    .insert(authRateLimits)
    .values({ id: `lj:${key}`, key: `lj:${key}`, count: 1, lastRequest: now })
    .onConflictDoUpdate({
      target: authRateLimits.key,
      set: {
        count: sql`case when ${authRateLimits.lastRequest} < ${windowStart} then 1 else ${authRateLimits.count} + 1 end`,
        // lastRequest holds the start of the current window.
        lastRequest: sql`case when ${authRateLimits.lastRequest} < ${windowStart} then ${now} else ${authRateLimits.lastRequest} end`,
      },
    })
    .returning({ count: authRateLimits.count });
  return row?.count ?? 1;
}
