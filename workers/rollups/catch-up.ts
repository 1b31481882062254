import type pg from 'pg';
import type { Address, Hash } from 'viem';
import { eventFromRow, type StoredEventRow } from '../indexer/rehydrate';
import { DerivedRows, dayOf } from '../projections/derive';
import type { StateView } from '../state/types';
import type { RollupAccumulator } from './accumulator';

/** Rows read per query: a day of a busy chain holds hundreds of thousands of events. */
const PAGE = 20_000;

/**
 * No event but DataAccessed reads projection state to derive its rollups, and a DataAccessed is
 * summed from its typed row (which kept the state as it stood), so the stored events replay
 * without any.
 */
const NO_STATE: StateView = {
  org: () => undefined,
  dataset: () => undefined,
  grant: () => undefined,
  invoice: () => undefined,
  certificate: () => undefined,
};

interface StoredAccess {
  block_number: string;
  log_index: number;
  t: string;
  grant_id: string;
  owner: Address | null;
  accessor: Address;
  dataset_id: Hash;
  category: number;
  sensitivity: number;
  mode: number;
  owner_region: number;
  accessor_region: number;
  record_count: string;
}

/**
 * Where each of `grantIds` was first issued (block, log index), for those ever issued: an access
 * counts towards its grant when it comes after that, as when the indexer applied it. The grant's
 * row names its latest issue; an AccessGranted stored before it (the id issued twice) is earlier.
 */
async function firstIssued(
  client: pg.ClientBase,
  chainId: number,
  grantIds: string[],
): Promise<Map<string, [number, number]>> {
  if (grantIds.length === 0) return new Map();
  const { rows } = await client.query<{ grant_id: string; block: string; log_index: number }>(
    `SELECT g.grant_id, coalesce(e.block_number, g.granted_block) AS block,
            coalesce(e.log_index, g.granted_log_index) AS log_index
     FROM grants g
     LEFT JOIN LATERAL (
       SELECT block_number, log_index FROM events
       WHERE chain_id = g.chain_id AND event_name = 'AccessGranted' AND args->>'grantId' = g.grant_id
         AND (block_number, log_index) < (g.granted_block, g.granted_log_index)
       ORDER BY block_number, log_index LIMIT 1) e ON true
     WHERE g.chain_id = $1 AND g.grant_id = any($2::varchar[])`,
    [chainId, grantIds],
  );
  return new Map(rows.map((r) => [r.grant_id, [Number(r.block), r.log_index]]));
}

/**
 * Adds to `into` the rollup sums of the events stored in blocks (after, through]: what a backfill
 * had committed but not yet added to the rollups when it stopped (rollups/pending.ts), grants'
 * access counts among them. The sums are made by the same accumulator as at indexing time, from
 * the typed rows of accesses (which hold the owner, category and regions as they stood at the
 * access) and from the raw rows of every other event, so they equal what the stopped backfill
 * would have written.
 */
export async function catchUpRollups(
  client: pg.ClientBase,
  chainId: number,
  after: number,
  through: number,
  into: RollupAccumulator,
): Promise<void> {
  let at: [number, number] = [after, 2 ** 31 - 1];
  for (;;) {
    const { rows } = await client.query<StoredAccess>(
      `SELECT block_number, log_index, extract(epoch FROM block_time)::bigint AS t, grant_id, owner, accessor, dataset_id,
              category, sensitivity, mode, owner_region, accessor_region, record_count
       FROM accesses WHERE chain_id = $1 AND (block_number, log_index) > ($2, $3) AND block_number <= $4
       ORDER BY block_number, log_index LIMIT ${PAGE}`,
      [chainId, at[0], at[1], through],
    );
    const issued = await firstIssued(client, chainId, [...new Set(rows.map((r) => r.grant_id))]);
    for (const r of rows) {
      const block = Number(r.block_number);
      const day = dayOf(Number(r.t));
      const grant = issued.get(r.grant_id);
      if (grant && (grant[0] < block || (grant[0] === block && grant[1] < r.log_index)))
        into.addGrantAccess(day, r.grant_id);
      into.addEvent(day, 'DataAccessed', block);
      into.addAccess(day, {
        owner: r.owner,
        accessor: r.accessor,
        datasetId: r.dataset_id,
        category: r.category,
        sensitivity: r.sensitivity,
        mode: r.mode,
        ownerRegion: r.owner_region,
        accessorRegion: r.accessor_region,
        recordCount: Number(r.record_count),
      });
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    at = [Number(last.block_number), last.log_index];
  }
  at = [after, 2 ** 31 - 1];
  for (;;) {
    const { rows } = await client.query<StoredEventRow>(
      `SELECT * FROM events WHERE chain_id = $1 AND (block_number, log_index) > ($2, $3) AND block_number <= $4
         AND event_name <> 'DataAccessed'
       ORDER BY block_number, log_index LIMIT ${PAGE}`,
      [chainId, at[0], at[1], through],
    );
    const derived = new DerivedRows(into);
    for (const r of rows) derived.add(eventFromRow(r), NO_STATE);
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    at = [Number(last.block_number), last.log_index];
  }
}
