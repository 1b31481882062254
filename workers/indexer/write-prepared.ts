import type pg from 'pg';
import { writeFindings } from '../incidents/write-findings';
import { ACCESS_COLUMNS, CASE_COLUMNS, writeProjections } from '../projections/write';
import { writeRollups } from '../rollups/write';
import type { Tx } from '~/db/client';
import { copyChunks } from './copy';
import { lapper, type PreparedEvents, type Timings } from './prepare-events';
import type { WrittenKeys } from './written-keys';

/** The raw row's columns in the order prepare-events.ts writes their binary values. */
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

/** Block number → unix time of `headers` (a range's: every block holding an event). */
export function blockTimesOf(headers: readonly { number: number; timestamp: number }[]): Map<number, number> {
  return new Map(headers.map((h) => [h.number, h.timestamp]));
}

/**
 * Writes a prepared range inside the caller's transaction: raw events, typed accesses and cases,
 * projections, rollups and (when rules ran) incidents. Returns how many incidents it created.
 */
export async function writePrepared(
  client: pg.PoolClient,
  tx: Tx,
  chainId: number,
  p: PreparedEvents,
  /** rollups false: the caller writes the range's sums (a backfill carries them: rollups/pending.ts). */
  opts: {
    withRules: boolean;
    timings?: Timings;
    rollups?: boolean;
    /** The case ids this sync wrote, when they are every case stored (written-keys.ts). */
    writtenCases?: WrittenKeys | null;
    /** Block number → unix time of the range's blocks: new incidents' evidence then goes by COPY. */
    blockTimes?: ReadonlyMap<number, number>;
  },
): Promise<number> {
  const lap = lapper(opts.timings);
  await copyChunks(client, 'events', EVENT_COLUMNS, p.rawRows);
  lap('raw');
  await copyChunks(client, 'accesses', ACCESS_COLUMNS, p.accessRows);
  lap('accesses');
  if (p.caseIds.length > 0) await writeCases(client, chainId, p, opts.writtenCases ?? null);
  lap('cases');
  await writeProjections(tx, p.projections);
  lap('projections');
  if (opts.rollups !== false) await writeRollups(client, chainId, p.rollups);
  lap('rollups');
  const copy = opts.blockTimes ? { client, blockTimes: opts.blockTimes } : undefined;
  const created = opts.withRules ? await writeFindings(tx, chainId, p.findings, { copy }) : 0;
  lap('incidents');
  return created;
}

/**
 * The range's cases (the first of each id, prepare-events.ts) but those whose id a month already
 * stores. The key holds the block time too (partitioned table), so no unique index can refuse a
 * stored id: the ids are looked up first, by the key's index in each month. A join of a staged
 * copy against `cases` was planned as a hash of every stored case, read again by every range
 * (90 ms a range at 136k cases, growing with the chain).
 */
async function writeCases(
  client: pg.PoolClient,
  chainId: number,
  p: PreparedEvents,
  written: WrittenKeys | null,
): Promise<void> {
  const candidates = written ? p.caseIds.filter((id) => written.mightHold(id)) : p.caseIds;
  // Key by key (limit 1: a lateral lookup the planner cannot turn into a join): `case_id = any($2)`
  // was planned, with the statistics a backfill leaves behind, as a scan of every case of the
  // chain (0.45 s a range at 1.36M cases).
  const stored =
    candidates.length === 0
      ? { rows: [] }
      : await client.query<{ case_id: string }>(
          `SELECT k.id AS case_id FROM unnest($2::varchar[]) AS k(id)
           CROSS JOIN LATERAL (SELECT 1 FROM cases c WHERE c.chain_id = $1 AND c.case_id = k.id LIMIT 1) c`,
          [chainId, candidates],
        );
  // Added before the commit: should it fail, an id remembered in vain costs a look-up, nothing more.
  if (written) for (const id of p.caseIds) written.add(id);
  if (stored.rows.length === 0) {
    await copyChunks(client, 'cases', CASE_COLUMNS, p.caseRows);
    return;
  }
  await client.query('CREATE TEMP TABLE IF NOT EXISTS cases_stage (LIKE cases) ON COMMIT DELETE ROWS');
  await copyChunks(client, 'cases_stage', CASE_COLUMNS, p.caseRows);
  await client.query(
    `INSERT INTO cases (${CASE_COLUMNS.join(', ')})
     SELECT ${CASE_COLUMNS.join(', ')} FROM cases_stage WHERE case_id <> all($1::varchar[])`,
    [stored.rows.map((r) => r.case_id)],
  );
}
