import type pg from 'pg';
import { rollbackIncidentsAbove } from '../incidents/rollback';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from '../../db/schema';
import type { ChainReader } from '../chain/reader';
import { readCursor, type IndexerContext } from './context';
import { workerMetrics } from '../metrics/registry';
import { rebuildDerived } from './rebuild';

/**
 * The highest stored block whose hash the chain still has: everything above it is on a dead fork.
 * Walks the stored headers downwards in batches, one batched RPC request per batch.
 */
export async function findCommonAncestor(
  pool: pg.Pool,
  reader: ChainReader,
  chainId: number,
  belowOrAt: number,
  floor: number,
): Promise<{ number: number; hash: string | null }> {
  let upper = belowOrAt;
  for (;;) {
    const { rows } = await pool.query<{ number: string; hash: string }>(
      'SELECT number, hash FROM blocks WHERE chain_id = $1 AND number <= $2 ORDER BY number DESC LIMIT 100',
      [chainId, upper],
    );
    if (rows.length === 0) return { number: floor, hash: null };
    const chain = await reader.getHeaders(rows.map((r) => Number(r.number)));
    for (const r of rows) {
      const onChain = chain.get(Number(r.number));
      if (onChain && onChain.hash === r.hash) return { number: Number(r.number), hash: r.hash };
    }
    upper = Number(rows[rows.length - 1]!.number) - 1;
    if (upper < floor) return { number: floor, hash: null };
  }
}

/**
 * Rolls the chain's data back to block `ancestor` in ONE transaction: raw events, headers, typed
 * rows and incidents above it are deleted, projections and rollups are rolled back to the newest
 * checkpoint below it and rebuilt from the raw events after it, and the cursor moves back. Readers see the old or the new state, never half.
 */
export async function rollbackTo(
  pool: pg.Pool,
  chainId: number,
  ancestor: number,
  ancestorHash: string | null,
): Promise<{ removedEvents: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM cursors WHERE chain_id = $1 FOR UPDATE', [chainId]);
    const removed = await client.query('DELETE FROM events WHERE chain_id = $1 AND block_number > $2', [
      chainId,
      ancestor,
    ]);
    const removedAccesses = await client.query(
      'DELETE FROM accesses WHERE chain_id = $1 AND block_number > $2',
      [chainId, ancestor],
    );
    await client.query('DELETE FROM malformed_logs WHERE chain_id = $1 AND block_number > $2', [
      chainId,
      ancestor,
    ]);
    await client.query('DELETE FROM blocks WHERE chain_id = $1 AND number > $2', [chainId, ancestor]);
    await client.query('DELETE FROM indexed_ranges WHERE chain_id = $1 AND from_block > $2', [
      chainId,
      ancestor,
    ]);
    await client.query('UPDATE indexed_ranges SET to_block = $2 WHERE chain_id = $1 AND to_block > $2', [
      chainId,
      ancestor,
    ]);
    await rollbackIncidentsAbove(drizzle(client, { schema }), chainId, ancestor);
    await rebuildDerived(client, chainId, { ancestor });
    await client.query(
      // The rebuild made the rollups whole again from the events that remain.
      'UPDATE cursors SET indexed_block = $2, indexed_hash = $3, rollups_block = NULL, updated_at = now() WHERE chain_id = $1',
      [chainId, ancestor, ancestorHash],
    );
    await client.query('UPDATE indexer_health SET reorgs = reorgs + 1 WHERE chain_id = $1', [chainId]);
    await client.query('COMMIT');
    workerMetrics().reorgsHandled.inc();
    return { removedEvents: (removed.rowCount ?? 0) + (removedAccesses.rowCount ?? 0) };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Finds where the stored chain and the node part ways and rolls back to the common ancestor.
 * Returns the new cursor.
 */
export async function recoverFromReorg(ctx: IndexerContext, cursor: number): Promise<number> {
  const ancestor = await findCommonAncestor(
    ctx.dbh.pool,
    ctx.reader,
    ctx.chainId,
    cursor,
    ctx.startBlock - 1,
  );
  await rollbackTo(ctx.dbh.pool, ctx.chainId, ancestor.number, ancestor.hash);
  return ancestor.number;
}

/**
 * A reorg that replaces the tip without making the chain longer leaves no parent-hash mismatch
 * for the next range to find, so the stored hash of the cursor block is compared with the node's.
 * Returns the cursor after recovery (unchanged when the tip is intact).
 */
export async function checkTip(ctx: IndexerContext): Promise<{ cursor: number; reorged: boolean }> {
  const { block, hash } = await readCursor(ctx);
  if (!hash || block < ctx.startBlock) return { cursor: block, reorged: false };
  const onChain = (await ctx.reader.getHeaders([block])).get(block);
  if (onChain && onChain.hash === hash) return { cursor: block, reorged: false };
  return { cursor: await recoverFromReorg(ctx, block), reorged: true };
}
