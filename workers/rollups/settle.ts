import type pg from 'pg';
import { RollupAccumulator } from './accumulator';
import { catchUpRollups } from './catch-up';
import { writeRollups } from './write';

/**
 * Inside a transaction holding the cursor row: brings rollups that stand at `rollupsBlock` up to
 * the cursor `block`, from the stored rows (catch-up.ts), and records them as current.
 */
export async function settleRollupsIn(
  client: pg.ClientBase,
  chainId: number,
  rollupsBlock: number,
  block: number,
): Promise<void> {
  const sums = new RollupAccumulator();
  if (rollupsBlock < block) await catchUpRollups(client, chainId, rollupsBlock, block, sums);
  await writeRollups(client, chainId, sums);
  // updated_at too: the dashboard's cached answers are keyed by the cursor row's last change.
  await client.query('UPDATE cursors SET rollups_block = NULL, updated_at = now() WHERE chain_id = $1', [
    chainId,
  ]);
}

/**
 * Inside the caller's transaction: locks the chain's cursor row (range commits and rollbacks wait
 * for the transaction's end) and brings rollups that trail it up to it. Returns the cursor, or
 * null when the chain has none, and whether the rollups trailed.
 */
export async function lockCursorSettled(
  client: pg.ClientBase,
  chainId: number,
): Promise<{ block: number; settled: boolean } | null> {
  const { rows } = await client.query<{ indexed_block: string; rollups_block: string | null }>(
    'SELECT indexed_block, rollups_block FROM cursors WHERE chain_id = $1 FOR UPDATE',
    [chainId],
  );
  const row = rows[0];
  if (!row) return null;
  const block = Number(row.indexed_block);
  if (row.rollups_block === null) return { block, settled: false };
  await settleRollupsIn(client, chainId, Number(row.rollups_block), block);
  return { block, settled: true };
}

/**
 * In a transaction of its own: rollups brought up to the cursor if they trail it. A backfill ends
 * with this, so that it never leaves them behind (its last range writes them, but a sync can
 * also end on a range another writer committed). Returns whether anything had to be done.
 */
export async function settleRollups(pool: pg.Pool, chainId: number): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const settled = (await lockCursorSettled(client, chainId))?.settled ?? false;
    await client.query(settled ? 'COMMIT' : 'ROLLBACK');
    return settled;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
