import type pg from 'pg';
import { monthStart, nextMonth, parseMonth, PARTITIONED_TABLES } from '~/db/partitions';
import { INCIDENT_STATUSES } from '~/domain/rules';

/** Incident statuses that still need their evidence at hand (not resolved, not dismissed). */
export const OPEN_STATUSES = INCIDENT_STATUSES.filter((s) => s !== 'resolved' && s !== 'dismissed');

/** Why a month may not be archived, in an operator's words. */
export interface Refusal {
  month: string;
  reason: string;
}

export interface ArchivePlan {
  /** Months before `before` that have partitions, oldest first. */
  months: string[];
  refusals: Refusal[];
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/** Months (YYYY-MM) that have a partition in any partitioned table, oldest first. */
export async function partitionedMonths(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ part: string }>(
    `SELECT c.relname AS part FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = ANY($1::text[]) AND p.relnamespace = 'public'::regnamespace`,
    [PARTITIONED_TABLES.map((t) => t.table)],
  );
  const months = new Set<string>();
  for (const r of rows) {
    const m = /_(\d{4})_(\d{2})$/.exec(r.part);
    if (m) months.add(`${m[1]}-${m[2]}`);
  }
  return [...months].sort();
}

/**
 * The oldest block time any chain's cursor stands at (the time of the highest stored block at or
 * below it), or null when nothing is indexed. A month is complete once every chain is past it.
 */
async function indexedUpTo(db: Queryable): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(
    `SELECT min(t.at) AS at FROM cursors c CROSS JOIN LATERAL (
       SELECT b.timestamp AS at FROM blocks b
       WHERE b.chain_id = c.chain_id AND b.number <= c.indexed_block
       ORDER BY b.number DESC LIMIT 1) t`,
  );
  return rows[0]?.at ?? null;
}

/**
 * Which months before `before` may be archived. A month is refused when it is not complete (some
 * chain's indexed blocks have not yet reached the next month: rows may still arrive) or when an
 * incident that is not resolved or dismissed rests on evidence in it (its analysts still need the
 * events at hand). Months are archived oldest first and as a whole run, so the archived months are
 * always everything before one month.
 */
export async function planArchive(db: Queryable, before: string): Promise<ArchivePlan> {
  parseMonth(before);
  const months = (await partitionedMonths(db)).filter((m) => m < before);
  const refusals: Refusal[] = [];
  const upTo = await indexedUpTo(db);
  for (const month of months) {
    const end = monthStart(nextMonth(month));
    if (!upTo || upTo < end) {
      refusals.push({
        month,
        reason: upTo
          ? `not complete: the indexer stands at ${upTo.toISOString()}, before the month's end ${end.toISOString()}`
          : 'not complete: nothing is indexed yet',
      });
    }
    const open = await db.query<{ id: number; status: string }>(
      `SELECT DISTINCT i.id, i.status FROM incident_evidence e JOIN incidents i ON i.id = e.incident_id
       WHERE e.block_time >= $1 AND e.block_time < $2 AND i.status = ANY($3::text[])
       ORDER BY i.id LIMIT 11`,
      [monthStart(month), end, OPEN_STATUSES],
    );
    if (open.rows.length > 0) {
      const ids = open.rows.slice(0, 10).map((r) => `#${r.id} (${r.status})`);
      refusals.push({
        month,
        reason: `holds evidence of incidents not yet resolved or dismissed: ${ids.join(', ')}${open.rows.length > 10 ? ', …' : ''}`,
      });
    }
  }
  return { months, refusals };
}
