import type pg from 'pg';

/** Other upkeep of the tallies waits for none: whoever holds this lock is compacting them already. */
const COMPACTING_LOCK = 727_274_002;

/** Rows the tallies held after this process last compacted them (per pool's database). */
const keptRows = new WeakMap<pg.Pool, number>();

/**
 * Folds incident_tallies' appended changes (db/schema/incidents.ts) into one row per key, dropping
 * keys that sum to nothing, once the table has grown past twice what the last folding left (and a
 * thousand rows). A change appended meanwhile stays for the next time: the delete takes only the
 * rows its statement sees. Returns the rows left, or null when nothing was done.
 */
export async function compactTallies(pool: pg.Pool, force = false): Promise<number | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM incident_tallies');
    const n = Number(rows[0]?.n ?? 0);
    if (!force && n <= 2 * (keptRows.get(pool) ?? 0) + 1000) return null;
    await client.query('BEGIN');
    const lock = await client.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS got', [
      COMPACTING_LOCK,
    ]);
    if (!lock.rows[0]?.got) {
      await client.query('ROLLBACK');
      return null;
    }
    const folded = await client.query(
      `WITH gone AS (DELETE FROM incident_tallies RETURNING *)
       INSERT INTO incident_tallies (chain_id, region_code, rule, severity, status, day, count)
       SELECT chain_id, region_code, rule, severity, status, day, sum(count) FROM gone
       GROUP BY chain_id, region_code, rule, severity, status, day HAVING sum(count) <> 0`,
    );
    await client.query('COMMIT');
    keptRows.set(pool, folded.rowCount ?? 0);
    return folded.rowCount ?? 0;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
