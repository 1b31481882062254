import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from '../../db/schema';
import { DEFAULT_RULE_SETTINGS } from '../../domain/rules';
import type { Tx } from '~/db/client';
import { DERIVED_TABLES } from '~/db/indexed-tables';
import { eventFromRow, type StoredEventRow } from './rehydrate';
import { restoreCheckpoint } from '~/db/derived-checkpoints';
import { writeEvents } from './write-events';

const PAGE = 20_000;

/**
 * One page of the replay: the raw events after a (block, log) position, in chain order. Planned as
 * a merge of the primary-key scans of `events` and `accesses` (test/integration/chain-events-view).
 */
export const REPLAY_PAGE_SQL = `SELECT * FROM chain_events WHERE chain_id = $1 AND (block_number, log_index) > ($2, $3)
  ORDER BY block_number, log_index LIMIT ${PAGE}`;

/**
 * Rebuilds every projection and rollup of a chain by replaying its raw events in chain order,
 * through the same handlers as live indexing, in the caller's transaction (readers see old or new,
 * never half). Used by reorg recovery and to prove that derived data equals a replay.
 *
 * With `ancestor` (reorg recovery, raw rows above it already deleted) the newest checkpoint at or
 * below it is restored and only the events after the checkpoint are replayed; without one, or
 * without `ancestor`, everything is replayed from the first event.
 */
export async function rebuildDerived(
  client: pg.PoolClient,
  chainId: number,
  opts: { ancestor?: number } = {},
): Promise<number> {
  const archived = await client.query<{ month: string }>('SELECT month FROM archived_months ORDER BY month');
  const restoredAt =
    opts.ancestor === undefined ? null : await restoreCheckpoint(client, chainId, opts.ancestor);
  // Archived months' raw rows are gone from the database, but what they contributed to projections
  // and rollups stays: a replay that needs them would silently drop it. Refuse loudly instead. A
  // checkpoint inside a month that is not archived needs only raw rows that are still here.
  if (
    archived.rows.length > 0 &&
    !(restoredAt !== null && (await blockStored(client, chainId, restoredAt)))
  ) {
    const months = archived.rows.map((r) => r.month);
    throw new Error(
      `cannot rebuild projections and rollups from raw events: months ${months[0]}…${months[months.length - 1]} ` +
        'are archived (their raw rows are only in the archive files) and no checkpoint of the derived tables ' +
        'lies after them. Restore them first (docs/operations.md, "Restoring archived months").',
    );
  }
  const tx = drizzle(client, { schema });
  if (restoredAt === null)
    for (const t of DERIVED_TABLES) await client.query(`DELETE FROM ${t} WHERE chain_id = $1`, [chainId]);
  // Raw events (and accesses, DataAccessed's only copy) are kept; cases are rewritten by the replay.
  let replayed = 0;
  let after: [number, number] = restoredAt === null ? [-1, -1] : [restoredAt, 2 ** 31 - 1];
  for (;;) {
    const page = await client.query<StoredEventRow>(REPLAY_PAGE_SQL, [chainId, after[0], after[1]]);
    if (page.rows.length === 0) break;
    const events = page.rows.map(eventFromRow);
    await writeEventsWithoutRaw(client, tx, chainId, events);
    replayed += events.length;
    const last = events[events.length - 1]!;
    after = [last.blockNumber, last.logIndex];
  }
  return replayed;
}

/** Whether the header of `block` is still in the database (its month not archived). */
async function blockStored(client: pg.PoolClient, chainId: number, block: number): Promise<boolean> {
  const { rows } = await client.query('SELECT 1 FROM blocks WHERE chain_id = $1 AND number = $2', [
    chainId,
    block,
  ]);
  return rows.length > 0;
}

/** writeEvents minus the raw rows, which are already there. */
async function writeEventsWithoutRaw(
  client: pg.PoolClient,
  tx: Tx,
  chainId: number,
  events: ReturnType<typeof eventFromRow>[],
): Promise<void> {
  await writeEvents(client, tx, chainId, events, DEFAULT_RULE_SETTINGS, false, { skipRaw: true });
}
