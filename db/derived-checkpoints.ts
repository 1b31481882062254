import type pg from 'pg';
import { BLOCK_KEYED_DERIVED_TABLES, CHECKPOINTED_TABLES } from './indexed-tables';

/**
 * Checkpoints of the derived tables, so a reorg costs the events since the newest checkpoint
 * below it instead of a replay of the whole chain (minutes at millions of events, inside one
 * transaction, and impossible once months are archived).
 */

/** A new checkpoint once the cursor is this many blocks past the newest one. */
export const CHECKPOINT_EVERY_BLOCKS = 200;
/** Checkpoints kept per chain: a reorg deeper than the oldest falls back to a full replay. */
export const CHECKPOINTS_KEPT = 3;

/** Advisory lock key (two int4) for taking checkpoints: one writer at a time per chain. */
const LOCK_CLASS = 0x4c4a4350; // "LJCP"

export interface Checkpoint {
  id: number;
  blockNumber: number;
}

/**
 * Copies the checkpointed tables as they stand at the cursor. REPEATABLE READ gives one snapshot
 * of the cursor and every table, so range commits carry on meanwhile and the copy still matches
 * the block it is labelled with. Returns null when another process is taking one, or a reorg's
 * rollback is restoring one.
 *
 * The lock is taken before the snapshot, and a rollback takes it before it drops the checkpoints
 * of the dead fork (restoreCheckpoint). Taken inside the snapshot's transaction, a copy could
 * start from the state before a rollback that was committing, and commit after the rollback had
 * dropped the checkpoints above its ancestor: a checkpoint of the dead fork, which the next reorg
 * restored (the dead blocks' accesses counted in the rollups for good).
 */
export async function takeCheckpoint(pool: pg.Pool, chainId: number): Promise<Checkpoint | null> {
  const client = await pool.connect();
  let locked = false;
  let broken: Error | undefined;
  try {
    const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
      LOCK_CLASS,
      chainId,
    ]);
    locked = lock.rows[0]?.ok === true;
    if (!locked) return null;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    // Not while the rollups trail the cursor (a backfill carrying a day's sums): the copy would
    // not be the state at any one block.
    const cursor = await client.query<{ block: string; hash: string | null }>(
      'SELECT indexed_block AS block, indexed_hash AS hash FROM cursors WHERE chain_id = $1 AND rollups_block IS NULL',
      [chainId],
    );
    const row = cursor.rows[0];
    if (!row) {
      await client.query('ROLLBACK');
      return null;
    }
    const inserted = await client.query<{ id: string }>(
      'INSERT INTO derived_checkpoints (chain_id, block_number, block_hash) VALUES ($1, $2, $3) RETURNING id',
      [chainId, row.block, row.hash],
    );
    const id = Number(inserted.rows[0]!.id);
    for (const t of CHECKPOINTED_TABLES)
      await client.query(
        `INSERT INTO derived_checkpoint_rows (checkpoint_id, table_name, row)
         SELECT $1, $2, to_jsonb(x) FROM ${t} x WHERE x.chain_id = $3`,
        [id, t, chainId],
      );
    // Older checkpoints beyond the kept number go (their rows by cascade).
    await client.query(
      `DELETE FROM derived_checkpoints WHERE chain_id = $1 AND id NOT IN
         (SELECT id FROM derived_checkpoints WHERE chain_id = $1 ORDER BY block_number DESC, id DESC LIMIT $2)`,
      [chainId, CHECKPOINTS_KEPT],
    );
    await client.query('COMMIT');
    return { id, blockNumber: Number(row.block) };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    // A session lock outlives the transaction: a connection that cannot give it back is not reused.
    if (locked)
      await client
        .query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, chainId])
        .catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
    client.release(broken);
  }
}

/**
 * Takes a checkpoint when the cursor is near the head (a backfill races on; copying growing tables
 * every few seconds would only slow it) and CHECKPOINT_EVERY_BLOCKS past the newest checkpoint.
 */
export async function checkpointIfDue(
  pool: pg.Pool,
  chainId: number,
  head: number,
): Promise<Checkpoint | null> {
  const { rows } = await pool.query<{ due: boolean }>(
    `SELECT c.indexed_block >= $3::bigint - $2::bigint
        AND c.indexed_block >= coalesce(
              (SELECT max(block_number) FROM derived_checkpoints WHERE chain_id = $1), -1) + $2 AS due
       FROM cursors c WHERE c.chain_id = $1`,
    [chainId, CHECKPOINT_EVERY_BLOCKS, head],
  );
  return rows[0]?.due ? takeCheckpoint(pool, chainId) : null;
}

/**
 * Inside the caller's rollback transaction, after the blocks above `ancestor` are deleted:
 * checkpoints above `ancestor` describe a dead fork and go, and so does any whose block the stored
 * chain holds with another hash (one a version without the lock above could leave); the newest
 * one left is restored into the checkpointed tables, and the block-keyed tables lose their rows
 * above it. Returns the block the derived tables now stand at, or null when no checkpoint is at or
 * below the ancestor (the caller replays everything).
 */
export async function restoreCheckpoint(
  client: pg.PoolClient,
  chainId: number,
  ancestor: number,
): Promise<number | null> {
  // Waits for a checkpoint being copied to commit, so that the delete below sees it.
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, chainId]);
  await client.query(
    `DELETE FROM derived_checkpoints c WHERE c.chain_id = $1 AND (c.block_number > $2 OR EXISTS (
       SELECT 1 FROM blocks b WHERE b.chain_id = c.chain_id AND b.number = c.block_number
          AND b.hash <> c.block_hash))`,
    [chainId, ancestor],
  );
  const { rows } = await client.query<{ id: string; block: string }>(
    `SELECT id, block_number AS block FROM derived_checkpoints WHERE chain_id = $1
      ORDER BY block_number DESC, id DESC LIMIT 1`,
    [chainId],
  );
  const cp = rows[0];
  if (!cp) return null;
  for (const t of CHECKPOINTED_TABLES) {
    await client.query(`DELETE FROM ${t} WHERE chain_id = $1`, [chainId]);
    await client.query(
      `INSERT INTO ${t} SELECT (jsonb_populate_record(NULL::${t}, r.row)).*
         FROM derived_checkpoint_rows r WHERE r.checkpoint_id = $1 AND r.table_name = $2`,
      [cp.id, t],
    );
  }
  for (const t of BLOCK_KEYED_DERIVED_TABLES)
    await client.query(`DELETE FROM ${t} WHERE chain_id = $1 AND block_number > $2`, [chainId, cp.block]);
  return Number(cp.block);
}
