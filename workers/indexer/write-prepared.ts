import type pg from 'pg';
import { writeFindings } from '../incidents/write-findings';
import { ACCESS_COLUMNS, CASE_COLUMNS, writeProjections } from '../projections/write';
import { writeRollups } from '../rollups/write';
import type { Tx } from '~/db/client';
import { copyChunks } from './copy';
import { lapper, type PreparedEvents, type Timings } from './prepare-events';

const EVENT_COLUMNS = [
  'chain_id',
  'block_number',
  'log_index',
  'tx_hash',
  'tx_index',
  'block_time',
  'contract',
  'address',
  'event_name',
  'args',
] as const;

/**
 * Writes a prepared range inside the caller's transaction: raw events, typed accesses and cases,
 * projections, rollups and (when rules ran) incidents. Returns how many incidents it created.
 */
export async function writePrepared(
  client: pg.PoolClient,
  tx: Tx,
  chainId: number,
  p: PreparedEvents,
  opts: { withRules: boolean; timings?: Timings },
): Promise<number> {
  const lap = lapper(opts.timings);
  await copyChunks(client, 'events', EVENT_COLUMNS, p.rawCsv);
  lap('raw');
  await copyChunks(client, 'accesses', ACCESS_COLUMNS, p.accessCsv);
  lap('accesses');
  // A case id is unique by design; a second CaseCompleted of one id keeps the first row. The key
  // holds the block time too (partitioned table), so the first row is chosen here: the earliest of
  // the range (stage rows keep chain order, `ord`) and only if no month already stores the id.
  if (p.caseCsv.length > 0) {
    await client.query(
      'CREATE TEMP TABLE IF NOT EXISTS cases_stage (LIKE cases, ord serial) ON COMMIT DELETE ROWS',
    );
    await copyChunks(client, 'cases_stage', CASE_COLUMNS, p.caseCsv);
    await client.query(
      `INSERT INTO cases (${CASE_COLUMNS.join(', ')})
       SELECT DISTINCT ON (s.chain_id, s.case_id) ${CASE_COLUMNS.map((c) => `s.${c}`).join(', ')}
       FROM cases_stage s
       WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.chain_id = s.chain_id AND c.case_id = s.case_id)
       ORDER BY s.chain_id, s.case_id, s.ord
       ON CONFLICT DO NOTHING`,
    );
  }
  lap('cases');
  await writeProjections(tx, p.projections);
  if (p.grantAccesses.ids.length > 0) {
    // Runs after the upsert above, so a grant created in this range already has its row.
    await client.query(
      `UPDATE grants g SET access_count = g.access_count + d.n
       FROM unnest($2::varchar[], $3::int[]) AS d(grant_id, n)
       WHERE g.chain_id = $1 AND g.grant_id = d.grant_id`,
      [chainId, p.grantAccesses.ids, p.grantAccesses.counts],
    );
  }
  lap('projections');
  await writeRollups(client, chainId, p.rollups);
  lap('rollups');
  const created = opts.withRules ? await writeFindings(tx, chainId, p.findings) : 0;
  lap('incidents');
  return created;
}
