import type pg from 'pg';

/**
 * Incidents by rule whose evidence ends in [fromBlock, toBlock]: right after a range commits,
 * those are the ones its per-event rules created (an incident's evidence block is its latest
 * evidence event, and nothing above the cursor existed before the commit). Only asked when the
 * commit reported incidents, which on lawful traffic is never.
 */
export async function incidentsByRule(
  pool: pg.Pool,
  chainId: number,
  fromBlock: number,
  toBlock: number,
): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ rule: string; n: number }>(
    `SELECT rule, count(*)::int AS n FROM incidents
     WHERE chain_id = $1 AND evidence_block BETWEEN $2 AND $3 GROUP BY rule`,
    [chainId, fromBlock, toBlock],
  );
  return Object.fromEntries(rows.map((r) => [r.rule, r.n]));
}
