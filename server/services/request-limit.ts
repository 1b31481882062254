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
  const upsert = () =>
    db
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
  // The table has two unique indexes holding the same value (better-auth's id and key) and an
  // upsert arbitrates on one: two first requests inserting at once can meet on the other and one
  // fails with a unique violation. By then the row exists, so that one's retry counts as an update.
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await upsert();
      return row?.count ?? 1;
    } catch (e) {
      if (attempt >= 3 || !isUniqueViolation(e)) throw e;
    }
  }
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.code === '23505' || err.cause?.code === '23505';
}
