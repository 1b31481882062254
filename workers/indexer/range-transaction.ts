import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from '../../db/schema';
import { isoTime } from './copy';
import type { RangeBlocks } from './fetch-range';
import type { Timings } from './prepare-events';
import { writeMalformed } from './write-malformed';
import type { BlockHeader } from '../chain/reader';
import type { Tx } from '~/db/client';
import { PartitionKeeper } from '~/db/partitions';
import { settleRollupsIn } from '../rollups/settle';
import type { RollupsCursor } from '../rollups/pending';

export type CommitOutcome =
  | { kind: 'committed'; events: number; incidents: number; timings: Record<string, number> }
  | { kind: 'already-done' }
  /** An earlier range has not committed yet: commit strictly in order. */
  | { kind: 'not-yet'; cursor: number }
  /** The cursor sits inside this range (ranges were cut differently): refetch from cursor+1. */
  | { kind: 'overlap'; cursor: number }
  /** The range's first block does not continue the stored chain. */
  | { kind: 'reorg'; cursor: number };

/** Months whose partitions this process has ensured, per database (pool). */
const partitionKeepers = new WeakMap<pg.Pool, PartitionKeeper>();

/**
 * Before a range's transaction (never inside it: creating a partition waits for the transactions
 * that read its table's default partition), the months of its blocks and the month after have
 * their partitions. Costs nothing once a month is known to this process.
 */
export async function ensureRangePartitions(pool: pg.Pool, headers: readonly BlockHeader[]): Promise<void> {
  let keeper = partitionKeepers.get(pool);
  if (!keeper) partitionKeepers.set(pool, (keeper = new PartitionKeeper()));
  await keeper.ensureFor(
    pool,
    headers.map((h) => h.timestamp),
  );
}

/** The cursor row as a range's transaction found it (locked). */
export interface LockedCursor extends RollupsCursor {
  hash: string | null;
}

export type RangeBody = (
  client: pg.PoolClient,
  tx: Tx,
  cursor: LockedCursor,
  timings: Timings,
) => Promise<number | 'stale'>;

/**
 * Writes one fetched range in ONE transaction: block headers, raw events, typed accesses and
 * cases, projections, rollups and per-event incidents, then moves the cursor. The cursor row is
 * locked first, so of two workers holding the same range exactly one writes it; a retried job
 * finds the cursor past its range and writes nothing.
 */
export async function inRangeTransaction(
  pool: pg.Pool,
  chainId: number,
  range: RangeBlocks,
  durable: boolean,
  body: RangeBody,
  /**
   * 'settle' (default): rollups that trail the cursor (a backfill stopped between two of its
   * rollup writes) are brought up to it before the body, which then adds its range's sums as
   * usual. 'body': the body sees where they stand (cursor.rollupsBlock) and moves them itself.
   */
  rollups: 'settle' | 'body' = 'settle',
): Promise<CommitOutcome | { kind: 'stale' }> {
  await ensureRangePartitions(pool, range.headers);
  const client = await pool.connect();
  let released = false;
  try {
    await client.query('BEGIN');
    // A backfill's commit need not wait for its WAL flush: the cursor moves in this same
    // transaction, so a commit lost to a crash is lost whole (events, projections and cursor
    // together) and the range is simply indexed again by the next run. Live range jobs keep
    // durable commits: their completion is announced outside Postgres (queues, alerts).
    if (!durable) await client.query('SET LOCAL synchronous_commit = off');
    const cur = await client.query<{
      indexed_block: string;
      indexed_hash: string | null;
      rollups_block: string | null;
    }>('SELECT indexed_block, indexed_hash, rollups_block FROM cursors WHERE chain_id = $1 FOR UPDATE', [
      chainId,
    ]);
    const row = cur.rows[0];
    if (!row) throw new Error(`no cursor for chain ${chainId}: run migrate/index first`);
    const cursor = Number(row.indexed_block);
    const outcome = (): CommitOutcome | null => {
      if (cursor >= range.toBlock) return { kind: 'already-done' };
      if (cursor < range.fromBlock - 1) return { kind: 'not-yet', cursor };
      if (cursor > range.fromBlock - 1) return { kind: 'overlap', cursor };
      const first = range.headers[0];
      if (
        row.indexed_hash &&
        first &&
        first.number === range.fromBlock &&
        first.parentHash !== row.indexed_hash
      ) {
        return { kind: 'reorg', cursor };
      }
      return null;
    };
    const early = outcome();
    if (early) {
      await client.query('ROLLBACK');
      return early;
    }

    const tx = drizzle(client, { schema });
    const timings: Timings = {};
    const rollupsBlock = row.rollups_block === null ? null : Number(row.rollups_block);
    if (rollups === 'settle' && rollupsBlock !== null) {
      await settleRollupsIn(client, chainId, rollupsBlock, cursor);
    }
    await writeBlocks(client, chainId, range.headers);
    const locked: LockedCursor = {
      block: cursor,
      hash: row.indexed_hash,
      rollupsBlock: rollups === 'settle' ? null : rollupsBlock,
    };
    const incidents = await body(client, tx, locked, timings);
    if (incidents === 'stale') {
      await client.query('ROLLBACK');
      return { kind: 'stale' };
    }
    const malformedIncidents = await writeMalformed(client, tx, chainId, range.malformed);

    const last = range.headers[range.headers.length - 1]!;
    await client.query(
      'UPDATE cursors SET indexed_block = $2, indexed_hash = $3, updated_at = now() WHERE chain_id = $1',
      [chainId, range.toBlock, last.number === range.toBlock ? last.hash : null],
    );
    await client.query(
      `INSERT INTO indexed_ranges (chain_id, from_block, to_block, event_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (chain_id, from_block) DO UPDATE SET to_block = excluded.to_block,
         event_count = excluded.event_count, committed_at = now()`,
      [chainId, range.fromBlock, range.toBlock, range.eventCount],
    );
    const commitStart = performance.now();
    await client.query('COMMIT');
    timings.commit = performance.now() - commitStart;
    return {
      kind: 'committed',
      events: range.eventCount,
      incidents: incidents + malformedIncidents,
      timings,
    };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    // A connection that failed mid-transaction is not handed back to the pool.
    client.release(e instanceof Error ? e : true);
    released = true;
    throw e;
  } finally {
    if (!released) client.release();
  }
}

/** The hash the cursor records after a range: its last block's, when that block was fetched. */
export function rangeEndHash(range: RangeBlocks): string | null {
  const last = range.headers[range.headers.length - 1];
  return last && last.number === range.toBlock ? last.hash : null;
}

export async function writeBlocks(
  client: pg.PoolClient,
  chainId: number,
  headers: BlockHeader[],
): Promise<void> {
  await client.query(
    `INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp)
       SELECT $1, * FROM unnest($2::bigint[], $3::varchar[], $4::varchar[], $5::timestamptz[])
       ON CONFLICT (chain_id, number, timestamp) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash`,
    [
      chainId,
      headers.map((h) => h.number),
      headers.map((h) => h.hash),
      headers.map((h) => h.parentHash),
      headers.map((h) => isoTime(h.timestamp)),
    ],
  );
}
