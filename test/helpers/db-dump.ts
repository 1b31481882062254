import type pg from 'pg';

/** Columns that differ between two correct databases (serial ids, wall-clock times). */
const VOLATILE = new Set(['id', 'incident_id', 'detected_at', 'updated_at', 'committed_at']);

/** Every row of the indexer's derived tables, ordered, without volatile columns: for equality checks. */
export async function dumpTables(
  pool: Pick<pg.ClientBase, 'query'>,
  tables: readonly string[],
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM ${t}`);
    const cleaned = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => !VOLATILE.has(k))
          .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
      ),
    );
    cleaned.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    out[t] = cleaned;
  }
  return out;
}
