import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { rebuildDerived } from '../../workers/indexer/rebuild';
import { takeCheckpoint } from '../../db/derived-checkpoints';
import { syncToHead } from '../../workers/indexer/backfill';
import { recoverFromReorg } from '../../workers/indexer/reorg';
import { waitFor } from '../helpers/wait';
import { rpc } from '../helpers/anvil';
import { dumpTables } from '../helpers/db-dump';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { COMPARED_TABLES, freshIndexTables } from '../helpers/fresh-index';
import { basicScenario, id } from '../helpers/scenario';

let h: IndexerHarness;
let ctx: IndexerContext;
let w: Awaited<ReturnType<typeof basicScenario>>;

/** What a fresh indexer makes of the chain as it is now: the reference after a reorg. */
const freshIndex = () => freshIndexTables(h);

const tablesOf = (pool: IndexerContext['dbh']['pool']) => dumpTables(pool, COMPARED_TABLES);

/** A DataAccessed under the world's grant (tax reads police's dataset). */
const access = (tag: string, recordCount: number, mode: number) =>
  h.scenario.access({
    grantId: w.g,
    datasetId: w.ds,
    accessor: w.tax,
    mode,
    purpose: 4,
    recordCount,
    payloadHash: id(tag),
  });

beforeAll(async () => {
  h = await createIndexerHarness();
  w = await basicScenario(h.scenario);
  ctx = await createIndexerContext(h.env());
  await syncToHead(ctx);
});
afterAll(async () => {
  await ctx.dbh.close();
  await h.close();
});

describe('reorgs', () => {
  it('snapshot/revert: events of the dead fork, their projections, rollups and incidents are gone', async () => {
    const snap = await rpc<string>(h.anvil.url, 'evm_snapshot');
    // On the fork that will die: an access, and a reimbursement of an unknown invoice (an incident).
    await access('dead', 500, 2);
    await h.scenario.reimburse(id('ghost-invoice'), w.tax, 99n);
    await syncToHead(ctx);
    const dead = await h.db.pool.query(
      "SELECT count(*)::int AS n FROM incidents WHERE rule = 'UNKNOWN_INVOICE_REIMBURSED'",
    );
    expect(dead.rows[0]).toEqual({ n: 1 });

    await rpc(h.anvil.url, 'evm_revert', [snap]);
    // The surviving fork is longer and different.
    await access('live', 3, 4);
    await rpc(h.anvil.url, 'anvil_mine', ['0x3']);
    const s = await syncToHead(ctx);
    expect(s.reorgs).toBe(1);

    const after = await h.db.pool.query(
      "SELECT count(*)::int AS n FROM incidents WHERE rule = 'UNKNOWN_INVOICE_REIMBURSED'",
    );
    expect(after.rows[0]).toEqual({ n: 0 });
    const health = await h.db.pool.query<{ reorgs: number }>('SELECT reorgs FROM indexer_health');
    expect(health.rows[0]!.reorgs).toBe(1);
    expect(await tablesOf(h.db.pool)).toEqual(await freshIndex());
  });

  it('anvil_reorg of depth 3 that drops and replaces the tip', async () => {
    await access('tip1', 11, 2);
    await access('tip2', 12, 2);
    await syncToHead(ctx);
    const before = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM accesses');
    await rpc(h.anvil.url, 'anvil_reorg', [3, []]);
    const s = await syncToHead(ctx);
    expect(s.reorgs).toBe(1);
    const after = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM accesses');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n - 2);
    expect(await tablesOf(h.db.pool)).toEqual(await freshIndex());
  });

  it('a reorg restores the newest checkpoint below the common ancestor and replays only what follows', async () => {
    const older = await takeCheckpoint(h.db.pool, ctx.chainId);
    // Above the older checkpoint: an invoice issued and reimbursed (projection state and rollups).
    await h.scenario.issueInvoice(id('cp-invoice'), w.police, 440100, 1_000n);
    await h.scenario.reimburse(id('cp-invoice'), w.tax, 1_000n);
    await syncToHead(ctx);
    // A checkpoint at the tip, then one more block: a reorg of depth 2 leaves it on the dead fork.
    const tip = await takeCheckpoint(h.db.pool, ctx.chainId);
    await access('cp-dead', 7, 2);
    await syncToHead(ctx);
    expect(older).not.toBeNull();
    expect(tip!.blockNumber).toBeGreaterThan(older!.blockNumber);
    await rpc(h.anvil.url, 'anvil_reorg', [2, []]);
    const s = await syncToHead(ctx);
    expect(s.reorgs).toBe(1);
    const kept = await h.db.pool.query<{ block: number }>(
      'SELECT block_number::int AS block FROM derived_checkpoints WHERE chain_id = $1 ORDER BY 1',
      [ctx.chainId],
    );
    expect(kept.rows.map((r) => r.block)).toEqual([older!.blockNumber]);
    expect(await tablesOf(h.db.pool)).toEqual(await freshIndex());
  });

  it('with a checkpoint, recovery replays only the raw events after it', async () => {
    const cp = await takeCheckpoint(h.db.pool, ctx.chainId);
    for (const tag of ['cp-a', 'cp-b']) await access(tag, 3, 2);
    await syncToHead(ctx);
    const cursor = await h.db.pool.query<{ b: number }>('SELECT indexed_block::int AS b FROM cursors');
    const counts = await h.db.pool.query<{ after: number; all: number }>(
      'SELECT count(*) FILTER (WHERE block_number > $1)::int AS after, count(*)::int AS all FROM chain_events',
      [cp!.blockNumber],
    );
    expect(counts.rows[0]!.after).toBe(2);
    const client = await h.db.pool.connect();
    try {
      await client.query('BEGIN');
      expect(await rebuildDerived(client, ctx.chainId, { ancestor: cursor.rows[0]!.b })).toBe(2);
      // Without the ancestor (or without a checkpoint) it is the whole chain.
      expect(await rebuildDerived(client, ctx.chainId)).toBe(counts.rows[0]!.all);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('no checkpoint is taken while a rollback commits, so none of a dead fork is restored later', async () => {
    // The dead fork's tip holds two accesses; a checkpoint copied from the state before the
    // rollback and committed after it would carry them into every later restore.
    await access('race-a', 5, 2);
    await access('race-b', 6, 2);
    await syncToHead(ctx);
    const tip = (await h.db.pool.query<{ b: number }>('SELECT indexed_block::int AS b FROM cursors')).rows[0]!
      .b;
    await rpc(h.anvil.url, 'anvil_reorg', [2, []]);
    // The rollback is held just before it commits (its last write is the health row's count).
    const blocker = await h.db.pool.connect();
    let rolling: Promise<number> | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE indexer_health IN SHARE MODE');
      rolling = recoverFromReorg(ctx, tip);
      rolling.catch(() => {});
      await waitFor(
        'the rollback waiting on the held lock',
        async () =>
          (
            await h.db.pool.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE indexer_health%'`,
            )
          ).rows[0]!.n === 1,
        10_000,
      );
      expect(await takeCheckpoint(h.db.pool, ctx.chainId)).toBeNull();
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    expect(await rolling).toBe(tip - 2);
    // The new fork grows past the old tip; a reorg there restores the newest checkpoint below it.
    await access('race-c', 7, 2);
    await access('race-d', 8, 2);
    await syncToHead(ctx);
    await rpc(h.anvil.url, 'anvil_reorg', [1, []]);
    expect((await syncToHead(ctx)).reorgs).toBe(1);
    expect(await tablesOf(h.db.pool)).toEqual(await freshIndex());
  });

  it('a stored checkpoint whose block the chain now has with another hash is dropped, not restored', async () => {
    // As a version without the lock could leave one: the checkpoint of a tip that a reorg replaced.
    await access('stale-a', 9, 2);
    await syncToHead(ctx);
    const cp = (await takeCheckpoint(h.db.pool, ctx.chainId))!;
    const saved = await h.db.pool.query<{ table_name: string; row: unknown }>(
      'SELECT table_name, row FROM derived_checkpoint_rows WHERE checkpoint_id = $1',
      [cp.id],
    );
    const head = await h.db.pool.query<{ block_hash: string }>(
      'SELECT block_hash FROM derived_checkpoints WHERE id = $1',
      [cp.id],
    );
    await rpc(h.anvil.url, 'anvil_reorg', [1, []]);
    expect((await syncToHead(ctx)).reorgs).toBe(1);
    await h.db.pool.query(
      'INSERT INTO derived_checkpoints (id, chain_id, block_number, block_hash) VALUES ($1, $2, $3, $4)',
      [cp.id, ctx.chainId, cp.blockNumber, head.rows[0]!.block_hash],
    );
    for (const r of saved.rows)
      await h.db.pool.query(
        'INSERT INTO derived_checkpoint_rows (checkpoint_id, table_name, row) VALUES ($1, $2, $3)',
        [cp.id, r.table_name, JSON.stringify(r.row)],
      );
    // The replaced tip's block is stored again (new hash) once the chain grows past it.
    await access('stale-b', 10, 2);
    await access('stale-c', 11, 2);
    await syncToHead(ctx);
    await rpc(h.anvil.url, 'anvil_reorg', [1, []]);
    expect((await syncToHead(ctx)).reorgs).toBe(1);
    const left = await h.db.pool.query('SELECT 1 FROM derived_checkpoints WHERE id = $1', [cp.id]);
    expect(left.rowCount).toBe(0);
    expect(await tablesOf(h.db.pool)).toEqual(await freshIndex());
  });

  it('projections and rollups rebuilt from raw events equal the incremental ones', async () => {
    const before = await tablesOf(h.db.pool);
    const client = await h.db.pool.connect();
    try {
      await client.query('BEGIN');
      await rebuildDerived(client, ctx.chainId);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await tablesOf(h.db.pool)).toEqual(before);
  });
});
