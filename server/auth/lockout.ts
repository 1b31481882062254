import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { loginFailures } from '../../db/schema/auth';

/**
 * Account lockout after repeated failed passwords, kept in Postgres so it holds across every
 * server process. 5 failures within 15 minutes lock the address for 15 minutes: slow enough to
 * stop online guessing, short enough that a locked-out official is not stranded for a day.
 * Applies to unknown addresses as well, so a lockout reveals nothing about which accounts exist.
 */
export const LOCKOUT = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Until when the address is locked, or null. */
export async function lockedUntil(db: Db, email: string, now = new Date()): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: loginFailures.lockedUntil })
    .from(loginFailures)
    .where(eq(loginFailures.email, normaliseEmail(email)));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/** Counts one failure (atomically, so parallel guesses all count); returns the lock end if now locked. */
export async function recordFailure(db: Db, email: string, now = new Date()): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - LOCKOUT.windowMs);
  const lockEnd = new Date(now.getTime() + LOCKOUT.lockMs);
  // A failure outside the window (or after a lock expired) starts a new count.
  const [row] = await db
    .insert(loginFailures)
    .values({ email: normaliseEmail(email), failures: 1, firstFailureAt: now })
    .onConflictDoUpdate({
      target: loginFailures.email,
      set: {
        failures: sql`case when ${loginFailures.firstFailureAt} < ${windowStart.toISOString()}::timestamptz
          or (${loginFailures.lockedUntil} is not null and ${loginFailures.lockedUntil} <= ${now.toISOString()}::timestamptz)
          then 1 else ${loginFailures.failures} + 1 end`,
        firstFailureAt: sql`case when ${loginFailures.firstFailureAt} < ${windowStart.toISOString()}::timestamptz
          or (${loginFailures.lockedUntil} is not null and ${loginFailures.lockedUntil} <= ${now.toISOString()}::timestamptz)
          then ${now.toISOString()}::timestamptz else ${loginFailures.firstFailureAt} end`,
        lockedUntil: sql`case when ${loginFailures.lockedUntil} > ${now.toISOString()}::timestamptz then ${loginFailures.lockedUntil} else null end`,
      },
    })
    .returning();
  if (!row) return null;
  if (row.failures >= LOCKOUT.maxFailures && !row.lockedUntil) {
    await db.update(loginFailures).set({ lockedUntil: lockEnd }).where(eq(loginFailures.email, row.email));
    return lockEnd;
  }
  return row.lockedUntil;
}

export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.email, normaliseEmail(email)));
}

/**
 * Counts an attempt *before* its password (or second-factor code) is evaluated, atomically: the
 * upsert takes the row lock, so 30 parallel guesses get the counts 1…30 and only the first
 * `maxFailures` are evaluated; the attempt that reaches the limit sets the lock. A success
 * clears the count (clearFailures), so a counted attempt that turns out right costs nothing.
 * Returns whether this attempt may be evaluated, and the lock end if the address is locked.
 */
export async function reserveAttempt(
  db: Db,
  email: string,
  now = new Date(),
): Promise<{ allowed: boolean; lockedUntil: Date | null }> {
  const windowStart = new Date(now.getTime() - LOCKOUT.windowMs);
  const lockEnd = new Date(now.getTime() + LOCKOUT.lockMs);
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const stale = sql`(${loginFailures.firstFailureAt} < ${windowStart.toISOString()}::timestamptz
    or (${loginFailures.lockedUntil} is not null and ${loginFailures.lockedUntil} <= ${nowSql}))`;
  const [row] = await db
    .insert(loginFailures)
    .values({
      email: normaliseEmail(email),
      failures: 1,
      firstFailureAt: now,
      lockedUntil: LOCKOUT.maxFailures <= 1 ? lockEnd : null,
    })
    .onConflictDoUpdate({
      target: loginFailures.email,
      set: {
        failures: sql`case when ${stale} then 1 else ${loginFailures.failures} + 1 end`,
        firstFailureAt: sql`case when ${stale} then ${nowSql} else ${loginFailures.firstFailureAt} end`,
        // The attempt that reaches the limit locks; a live lock stays as it is.
        lockedUntil: sql`case
          when ${loginFailures.lockedUntil} > ${nowSql} then ${loginFailures.lockedUntil}
          when (case when ${stale} then 1 else ${loginFailures.failures} + 1 end) >= ${LOCKOUT.maxFailures}
            then ${lockEnd.toISOString()}::timestamptz
          else null end`,
      },
    })
    .returning();
  if (!row) return { allowed: false, lockedUntil: null };
  return { allowed: row.failures <= LOCKOUT.maxFailures, lockedUntil: row.lockedUntil };
}
