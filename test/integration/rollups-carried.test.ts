import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { shanghaiDay } from '../../domain/time';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { fetchRange } from '../../workers/indexer/fetch-range';
import { commitRange } from '../../workers/indexer/live-commit';
import { RangeSizer } from '../../workers/indexer/range-size';
import { rebuildDerived } from '../../workers/indexer/rebuild';
import { takeCheckpoint } from '../../db/derived-checkpoints';
import { ROLLUP_TABLES } from '../../db/indexed-tables';
import { rpc } from '../helpers/anvil';
import { createTestDb, type TestDb } from '../helpers/db';
import { dumpTables } from '../helpers/db-dump';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { basicScenario, id } from '../helpers/scenario';

/** 2025-03-01 10:00 in Shanghai: the chain's first day; no figure depends on today's date. */
const GENESIS = Date.UTC(2025, 2, 1, 2) / 1000;
const DAY = 86_400;
/** The rollups, and grants, whose access counts are carried with them. */
const ROLLUPS = [...ROLLUP_TABLES, 'grants'];

let h: IndexerHarness;
/** Per day of the chain, its blocks. */
const blocksOfDay = new Map<string, number[]>();

/** A grant issued on the last day between two of its accesses: only the second counts towards it. */
const LATE_GRANT = id('grant-late');

/**
 * The basic scenario on the first day, then three days of four blocks each (a batch of accesses,
 * a case, a listing, another batch): indexed one block per range, each day is four ranges. The
 * last day has a fifth, second block: LATE_GRANT issued, after an access under it in the day's
 * first batch and before one in its last.
 */
async function seedDays(): Promise<void> {
  const w = await basicScenario(h.scenario);
  for (let d = 1; d <= 3; d++) {
    const at = (hour: number) =>
      rpc(h.anvil.url, 'evm_setNextBlockTimestamp', [GENESIS + d * DAY + hour * 3600]);
    const batch = (tag: string) =>
      h.scenario.accessBatch([
        ...Array.from({ length: 3 }, (_, i) => ({
          grantId: w.g,
          datasetId: w.ds,
          accessor: w.tax,
          mode: 1 + (i % 2),
          purpose: 4,
          recordCount: 10 * d + i,
          payloadHash: id(`${tag}-${d}-${i}`),
        })),
        ...(d === 3
          ? [
              {
                grantId: LATE_GRANT,
                datasetId: w.ds,
                accessor: w.hospital,
                mode: 2,
                purpose: 1,
                recordCount: 7,
                payloadHash: id(`${tag}-late`),
              },
            ]
          : []),
      ]);
    await at(0);
    await batch('a');
    if (d === 3) {
      await at(0.5);
      await h.scenario.grant({
        grantId: LATE_GRANT,
        datasetId: w.ds,
        grantee: w.hospital,
        grantor: w.police,
        purpose: 1,
        modes: 2,
        validUntil: 4102444800n,
      });
    }
    await at(1);
    await h.scenario.completeCase({
      caseId: id(`case-day-${d}`),
      org: w.police,
      regionCode: 440100,
      itemCode: 1001,
      channel: 1 + (d % 3),
      orgsInvolved: d,
      durationMinutes: 5 * d,
    });
    await at(2);
    await h.scenario.listItem(440100, 2000 + d, 3);
    await at(3);
    await batch('b');
  }
  const head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
  for (let n = 0; n <= head; n++) {
    const b = await rpc<{ timestamp: string }>(h.anvil.url, 'eth_getBlockByNumber', [
      `0x${n.toString(16)}`,
      false,
    ]);
    const day = shanghaiDay(Number(b.timestamp));
    blocksOfDay.set(day, [...(blocksOfDay.get(day) ?? []), n]);
  }
}

/** The rollup tables as a replay of the stored events makes them (in a transaction rolled back). */
async function replayed(pool: pg.Pool, chainId: number) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await rebuildDerived(client, chainId);
    return await dumpTables(client, ROLLUPS);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

async function cursorRow(pool: pg.Pool) {
  const { rows } = await pool.query<{ indexed_block: string; rollups_block: string | null }>(
    'SELECT indexed_block, rollups_block FROM cursors',
  );
  const r = rows[0]!;
  return {
    block: Number(r.indexed_block),
    rollupsBlock: r.rollups_block === null ? null : Number(r.rollups_block),
  };
}

/** Accesses summed in flow_daily against those stored. */
async function accessesRolledUp(pool: pg.Pool) {
  const { rows } = await pool.query<{ rolled: number; stored: number }>(
    `SELECT (SELECT coalesce(sum(accesses), 0)::int FROM flow_daily) AS rolled,
            (SELECT count(*)::int FROM accesses) AS stored`,
  );
  return rows[0]!;
}

beforeAll(async () => {
  h = await createIndexerHarness({ genesisTimestamp: GENESIS });
  await seedDays();
});
afterAll(async () => {
  await h.close();
});

describe('rollup sums carried from range to range in a backfill', () => {
  let whole: Awaited<ReturnType<typeof dumpTables>>;

  it('writes each day once it is over, and the last range everything: equal to a replay', async () => {
    const ctx = await createIndexerContext(h.env());
    try {
      /** The last block of each report: the rollups hold every event up to it. */
      const reports: number[] = [];
      const ranges: number[] = [];
      const s = await syncToHead(ctx, {
        sizer: new RangeSizer(1, 1, 1, 1),
        onRange: (r) => ranges.push(r.toBlock),
        onRollups: (span) => reports.push(span.headers.at(-1)!.number),
      });
      const days = [...blocksOfDay.keys()];
      expect(days).toEqual(['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04']);
      expect(ranges).toHaveLength(s.headBlock - ctx.startBlock + 1);
      // The blocks before the first event hold nothing to carry: rolled up as they commit. Then
      // one write per day, at the first range of the next day, and the last day's at the end.
      const first = await h.db.pool.query<{ n: number }>(
        'SELECT min(block_number)::int AS n FROM chain_events',
      );
      const empty = Array.from({ length: first.rows[0]!.n - ctx.startBlock }, (_, i) => ctx.startBlock + i);
      expect(reports).toEqual([...empty, ...days.map((d) => blocksOfDay.get(d)!.at(-1))]);
      expect(await cursorRow(h.db.pool)).toEqual({ block: s.headBlock, rollupsBlock: null });
      whole = await dumpTables(h.db.pool, ROLLUPS);
      expect(whole).toEqual(await replayed(h.db.pool, ctx.chainId));
      expect(await accessesRolledUp(h.db.pool)).toEqual({ rolled: 3 + 20, stored: 3 + 20 });
      // The first grant's two accesses on day one and six a day since; the late grant's second.
      const counts = await h.db.pool.query<{ grant_id: string; access_count: number }>(
        'SELECT grant_id, access_count FROM grants ORDER BY access_count',
      );
      expect(counts.rows).toEqual([
        { grant_id: LATE_GRANT, access_count: 1 },
        { grant_id: id('grant-1'), access_count: 2 + 18 },
      ]);
    } finally {
      await ctx.dbh.close();
    }
  });

  describe('stopped between two of its rollup writes', () => {
    let db: TestDb;
    let ctx: IndexerContext;
    const stopAt = (block: number) => (r: { toBlock: number }) => {
      if (r.toBlock === block) throw new Error(`stopped after block ${block}`);
    };
    beforeAll(async () => {
      db = await createTestDb();
      ctx = await createIndexerContext(h.env({ DATABASE_URL: db.url }));
    });
    afterAll(async () => {
      await ctx.dbh.close();
      await db.drop();
    });

    it('leaves the cursor row saying where the rollups stand, and takes no checkpoint meanwhile', async () => {
      const day3 = blocksOfDay.get('2025-03-03')!;
      const day2 = blocksOfDay.get('2025-03-02')!;
      await expect(
        syncToHead(ctx, { sizer: new RangeSizer(1, 1, 1, 1), onRange: stopAt(day3[1]!) }),
      ).rejects.toThrow(`stopped after block ${day3[1]}`);
      // Day 3's first two blocks are committed, their sums not written: the rollups end with day 2.
      expect(await cursorRow(db.pool)).toEqual({ block: day3[1], rollupsBlock: day2[day2.length - 1] });
      expect(await accessesRolledUp(db.pool)).toEqual({ rolled: 3 + 6, stored: 3 + 9 });
      // Grants' access counts stand with the rollups: this day's first batch is not counted yet.
      const counts = await db.pool.query<{ grant_id: string; access_count: number }>(
        'SELECT grant_id, access_count FROM grants',
      );
      expect(counts.rows).toEqual([{ grant_id: id('grant-1'), access_count: 2 + 6 }]);
      expect(await takeCheckpoint(db.pool, ctx.chainId)).toBeNull();
    });

    it('a live range commit first adds the sums the stopped backfill left, from the stored rows', async () => {
      const { block } = await cursorRow(db.pool);
      const range = await fetchRange(
        ctx.reader,
        { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress },
        block + 1,
        block + 1,
      );
      expect((await commitRange(db.pool, ctx.chainId, range, ctx.settings)).kind).toBe('committed');
      expect(await cursorRow(db.pool)).toEqual({ block: block + 1, rollupsBlock: null });
      expect(await dumpTables(db.pool, ROLLUPS)).toEqual(await replayed(db.pool, ctx.chainId));
      expect(await takeCheckpoint(db.pool, ctx.chainId)).not.toBeNull();
    });

    it('a backfill resumed after another stop carries on from the stored rows: equal to the whole run', async () => {
      const day4 = blocksOfDay.get('2025-03-04')!;
      await expect(
        syncToHead(ctx, { sizer: new RangeSizer(1, 1, 1, 1), onRange: stopAt(day4[2]!) }),
      ).rejects.toThrow(`stopped after block ${day4[2]}`);
      expect(await cursorRow(db.pool)).toEqual({ block: day4[2], rollupsBlock: day4[0]! - 1 });
      // The stored rows it resumes from hold LATE_GRANT's issue and an access under it made before:
      // counted by the catch-up only if it tells the two apart as the first run did.
      expect(day4).toHaveLength(5);
      const s = await syncToHead(ctx, { sizer: new RangeSizer(1, 1, 1, 1) });
      expect(await cursorRow(db.pool)).toEqual({ block: s.headBlock, rollupsBlock: null });
      expect(await dumpTables(db.pool, ROLLUPS)).toEqual(whole);
    });
  });
});
