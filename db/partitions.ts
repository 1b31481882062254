/**
 * Monthly partitions of the tables that grow with the chain. Each is range-partitioned by the
 * block time of its rows, one partition per Asia/Shanghai calendar month (the dashboard's days and
 * months are Shanghai's, so a month's partition holds exactly that month's rollup days), named
 * `<table>_YYYY_MM`, plus a `<table>_default` partition.
 *
 * The SQL function `ensure_month_partition(table, 'YYYY-MM')` (migration 0017) creates one month's
 * partition under an advisory lock, so several worker processes may ask for the same month at
 * once: the first creates it, the others find it. It creates a plain table and ATTACHes it, which
 * locks the parent only in SHARE UPDATE EXCLUSIVE mode: writers and readers of other months go on.
 *
 * The default partition is a safety net, not a place to keep data: a row whose month has no
 * partition yet (a block with a skewed clock, a tool writing rows directly) is stored rather than
 * refused, so the indexer never stops on it; creating that month's partition moves such rows out
 * of the default (it is scanned then, and stays empty in normal running, so that scan is free).
 */
import type pg from 'pg';

/** The partitioned tables and their partition key column. */
export const PARTITIONED_TABLES = [
  { table: 'blocks', key: 'timestamp' },
  { table: 'events', key: 'block_time' },
  { table: 'accesses', key: 'block_time' },
  { table: 'cases', key: 'block_time' },
  { table: 'incident_evidence', key: 'block_time' },
] as const;

export type PartitionedTable = (typeof PARTITIONED_TABLES)[number]['table'];

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month as `YYYY-MM`; throws a plain message on anything else. */
export function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`a month is written YYYY-MM (e.g. 2025-01), got "${month}"`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function formatMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month after `month` (YYYY-MM). */
export function nextMonth(month: string): string {
  const { year, month: m } = parseMonth(month);
  return m === 12 ? formatMonth(year + 1, 1) : formatMonth(year, m + 1);
}

/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_SECONDS = 8 * 3600;

/** The Asia/Shanghai month (YYYY-MM) of a unix time in seconds. */
export function shanghaiMonthOf(unixSeconds: number): string {
  const d = new Date((unixSeconds + SHANGHAI_OFFSET_SECONDS) * 1000);
  return formatMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
}

/** The first instant of a Shanghai month, as a Date. */
export function monthStart(month: string): Date {
  const { year, month: m } = parseMonth(month);
  return new Date(Date.UTC(year, m - 1, 1) - SHANGHAI_OFFSET_SECONDS * 1000);
}

export function partitionName(table: PartitionedTable, month: string): string {
  parseMonth(month);
  return `${table}_${month.replace('-', '_')}`;
}

/**
 * The months a batch of block times needs: each month they touch and the month after the last, so
 * the next month's partition exists before its first block arrives.
 */
export function monthsFor(unixTimes: Iterable<number>): string[] {
  const months = new Set<string>();
  let latest = -Infinity;
  for (const t of unixTimes) {
    months.add(shanghaiMonthOf(t));
    if (t > latest) latest = t;
  }
  if (latest > -Infinity) months.add(nextMonth(shanghaiMonthOf(latest)));
  return [...months].sort();
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/**
 * Creates the missing partitions of `months` for every partitioned table. Each table and month is
 * its own statement (its own transaction when `db` is a pool): a creator never holds one table's
 * locks while it waits for another's. Returns how many partitions it created.
 */
export async function ensureMonthPartitions(db: Queryable, months: readonly string[]): Promise<number> {
  let created = 0;
  for (const month of months) {
    parseMonth(month);
    for (const { table } of PARTITIONED_TABLES) {
      const r = await db.query<{ made: boolean }>('SELECT ensure_month_partition($1, $2) AS made', [
        table,
        month,
      ]);
      if (r.rows[0]?.made) created++;
    }
  }
  return created;
}

/**
 * Remembers, per process, the months whose partitions were ensured, so a worker pays the catalogue
 * look-ups once a month and not once a range. (A month archived while remembered only sends a
 * re-indexed row of it to the default partition; nothing is refused.)
 */
export class PartitionKeeper {
  private readonly known = new Set<string>();

  async ensureFor(db: Queryable, unixTimes: Iterable<number>): Promise<number> {
    const missing = monthsFor(unixTimes).filter((m) => !this.known.has(m));
    if (missing.length === 0) return 0;
    const created = await ensureMonthPartitions(db, missing);
    for (const m of missing) this.known.add(m);
    return created;
  }
}
