import type pg from 'pg';
import { DERIVED_TABLES } from '~/db/indexed-tables';
import { lockCursorSettled } from '../rollups/settle';
import { rebuildDerived } from './rebuild';

/** One derived table compared with what a replay of the raw events makes of it. */
export interface DerivedTableCheck {
  table: string;
  /** Rows stored for the chain. */
  rows: number;
  /** Stored rows the replay does not make (counted with their multiplicity). */
  storedNotReplayed: number;
  /** Rows the replay makes that are not stored. */
  replayedNotStored: number;
}

export interface DerivedCheck {
  chainId: number;
  indexedBlock: number;
  replayedEvents: number;
  tables: DerivedTableCheck[];
  /** The tables whose rows differ: none when every projection and rollup is what the events make. */
  differing: string[];
}

/**
 * Whether a chain's projections and rollups are exactly what its stored raw events make, so an
 * operator (or a court) can be shown that the dashboard's figures rest on the chain alone. A
 * checkpoint of a dead fork restored once (fixed: db/derived-checkpoints.ts) left a dropped block's
 * accesses in `access_daily` for good, visible nowhere else.
 *
 * One transaction, rolled back whatever happens: the cursor row is locked first, so range commits
 * and rollbacks wait until the check ends (on a chain of millions of events, minutes: the replay
 * of rebuild.ts); rollups a stopped backfill left behind are brought up to the cursor as its next
 * range would; each derived table's rows are copied aside; the chain is replayed into the tables;
 * and each is compared with its copy row for row, both ways. Refuses, as a reorg's full replay
 * does, while months are archived.
 */
export async function verifyDerived(pool: pg.Pool, chainId: number): Promise<DerivedCheck> {
  if (!Number.isSafeInteger(chainId)) throw new Error(`not a chain id: ${chainId}`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const cursor = await lockCursorSettled(client, chainId);
    if (!cursor) throw new Error(`no cursor for chain ${chainId}: nothing indexed`);
    // A utility statement takes no parameters: the chain id is a checked integer.
    for (const t of DERIVED_TABLES)
      await client.query(
        `CREATE TEMP TABLE stored_${t} ON COMMIT DROP AS SELECT * FROM ${t} WHERE chain_id = ${chainId}`,
      );
    const replayedEvents = await rebuildDerived(client, chainId);
    const tables: DerivedTableCheck[] = [];
    for (const t of DERIVED_TABLES) {
      const replayed = `(SELECT * FROM ${t} WHERE chain_id = ${chainId})`;
      const c = await client.query<{
        rows: string;
        stored_not_replayed: string;
        replayed_not_stored: string;
      }>(
        `SELECT (SELECT count(*) FROM stored_${t}) AS rows,
                (SELECT count(*) FROM (SELECT * FROM stored_${t} EXCEPT ALL ${replayed}) x) AS stored_not_replayed,
                (SELECT count(*) FROM (${replayed} EXCEPT ALL SELECT * FROM stored_${t}) y) AS replayed_not_stored`,
      );
      const r = c.rows[0]!;
      tables.push({
        table: t,
        rows: Number(r.rows),
        storedNotReplayed: Number(r.stored_not_replayed),
        replayedNotStored: Number(r.replayed_not_stored),
      });
    }
    return {
      chainId,
      indexedBlock: cursor.block,
      replayedEvents,
      tables,
      differing: tables.filter((t) => t.storedNotReplayed + t.replayedNotStored > 0).map((t) => t.table),
    };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
