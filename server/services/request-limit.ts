import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { authRateLimits } from '../../db/schema/auth';

/**
 * Counts one request under `key` in a fixed window of `windowMs`; returns the count in the current
 * window (1 for the first). In Postgres (better-auth's rate-limit table, keys prefixed `lj:` so
 * they never meet better-auth's own), so it holds across every server process, and counted by one
 * atomic upsert: parallel requests each get their own count, none slips through a race.
 */
export async function countInWindow(
  db: Db,
  key: string,
  windowMs: number,
  now = Date.now(),
): Promise<number> {
  const windowStart = now - windowMs;
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
