import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext, type IndexerContext } from '~/workers/indexer/context';
import { syncToHead } from '~/workers/indexer/backfill';
import { RangeSizer } from '~/workers/indexer/range-size';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { createTestDb, type TestDb } from '../helpers/db';
import { MONTH_CHAIN_GENESIS, seedMonthChain } from '../helpers/month-chain';
import { id } from '../helpers/scenario';

/*
 * A case id's first CaseCompleted is the one kept. A first backfill remembers the ids it wrote
 * (workers/indexer/written-keys.ts) and looks up among the stored cases only the ids it might
 * have written: the month chain completes case-1 in January and again in February, each in a range
 * of its own here, so the February repeat must be found and dropped.
 */

let h: IndexerHarness;
const opened: IndexerContext[] = [];
const dbs: TestDb[] = [];

beforeAll(async () => {
  h = await createIndexerHarness({ genesisTimestamp: MONTH_CHAIN_GENESIS });
  await seedMonthChain(h);
});
afterAll(async () => {
  for (const c of opened) await c.dbh.close();
  for (const d of dbs) await d.drop();
  await h.close();
});

async function casesOf(db: TestDb) {
  const { rows } = await db.pool.query<{ case_id: string; month: string; duration: string }>(
    `SELECT case_id, to_char(block_time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
            duration_minutes AS duration
       FROM cases ORDER BY block_number, case_id`,
  );
  return rows.map((r) => ({ caseId: r.case_id, month: r.month, duration: Number(r.duration) }));
}

const EXPECTED = [
  { caseId: id('case-1'), month: '2025-01', duration: expect.any(Number) as number },
  { caseId: id('case-2'), month: '2025-02', duration: 20 },
];

describe('the cases of a backfill, one range per block', () => {
  it('a first backfill keeps the first completion of a case id completed again in a later range', async () => {
    const db = await createTestDb();
    dbs.push(db);
    const ctx = await createIndexerContext(h.env({ DATABASE_URL: db.url }));
    opened.push(ctx);
    const s = await syncToHead(ctx, { sizer: new RangeSizer(1, 1, 1) });
    expect(s.ranges).toBeGreaterThan(3);
    expect(await casesOf(db)).toEqual(EXPECTED);
  });

  it('so does a backfill that starts on stored cases, and one stopped and resumed', async () => {
    const db = await createTestDb();
    dbs.push(db);
    const first = await createIndexerContext(h.env({ DATABASE_URL: db.url }));
    opened.push(first);
    // Stopped once January is in (its case stored), then resumed by a new sync.
    let ranges = 0;
    await expect(
      syncToHead(first, {
        sizer: new RangeSizer(1, 1, 1),
        onRange: (r) => {
          if (r.headers.some((x) => x.timestamp >= Date.UTC(2025, 1, 1) / 1000) || ++ranges > 1000)
            throw new Error('stopped');
        },
      }),
    ).rejects.toThrow('stopped');
    const again = await createIndexerContext(h.env({ DATABASE_URL: db.url }));
    opened.push(again);
    await syncToHead(again, { sizer: new RangeSizer(1, 1, 1) });
    expect(await casesOf(db)).toEqual(EXPECTED);
  });
});
