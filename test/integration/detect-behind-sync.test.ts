import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { accesses } from '../../db/schema';
import { DEFAULT_RULE_SETTINGS } from '../../domain/rules';
import { DetectionBehindSync } from '../../workers/incidents/detect-behind-sync';
import { runWindowedDetection } from '../../workers/incidents/detect-windowed';
import type { RangeBlocks } from '../../workers/indexer/fetch-range';
import { createTestDb, type TestDb } from '../helpers/db';
import { addr, h32 } from '../unit/rules-fixtures';

// A backfill's spikes found behind it, day by day, must be exactly those one pass after it finds.
const CHAIN = 31337;
const settings = { ...DEFAULT_RULE_SETTINGS };
const dataset = h32(0x7002);
/** Shanghai days 09-10 … 09-14; noon there is 04:00Z. */
const DAYS = ['2026-09-10', '2026-09-11', '2026-09-12', '2026-09-13', '2026-09-14'];
const noonOf = (day: string) => Date.parse(`${day}T04:00:00Z`) / 1000;
/** Block n is on day DAYS[floor(n / 10)], ten blocks a day, one access each. */
const blockTime = (n: number) => noonOf(DAYS[Math.floor(n / 10)]!) + (n % 10) * 60;

let first: TestDb;
let second: TestDb;

/**
 * Commits blocks from..to as the range writer would: one access each (accessor i on day i, 150
 * records), added to access_daily. A day of 10 accesses holds 1,500 records: a spike (no earlier
 * active day, so the floor of 1,000), first above it at its 7th access.
 */
async function commit(t: TestDb, from: number, to: number) {
  const rows = [];
  for (let n = from; n <= to; n++) {
    rows.push({
      chainId: CHAIN,
      blockNumber: n,
      logIndex: 0,
      txHash: h32(0x9000 + n),
      blockTime: new Date(blockTime(n) * 1000),
      grantId: h32(1),
      datasetId: dataset,
      accessor: addr(Math.floor(n / 10) + 1),
      owner: addr(0xa1),
      category: 1,
      sensitivity: 1,
      ownerRegion: 440100,
      accessorRegion: 440300,
      mode: 1,
      purpose: 1,
      recordCount: 150,
      payloadHash: h32(0x8000 + n),
      txIndex: 0,
      addressId: 1,
    });
  }
  await t.db.insert(accesses).values(rows);
  await t.db.execute(sql`
    insert into access_daily (chain_id, day, accessor, dataset_id, accesses, records)
    select chain_id, to_char(block_time at time zone 'Asia/Shanghai', 'YYYY-MM-DD'), accessor, dataset_id,
      count(*), sum(record_count)
    from accesses where block_number between ${from} and ${to}
    group by 1, 2, 3, 4
    on conflict (chain_id, accessor, dataset_id, day) do update
    set accesses = access_daily.accesses + excluded.accesses, records = access_daily.records + excluded.records`);
}

/** A committed range as the backfill hands it over: only its headers matter here. */
function range(from: number, to: number): RangeBlocks {
  const header = (n: number) => ({
    number: n,
    hash: h32(0x5000 + n),
    parentHash: h32(0x5000 + n - 1),
    timestamp: blockTime(n),
  });
  return {
    fromBlock: from,
    toBlock: to,
    headers: [header(from), header(to)],
    malformed: [],
    eventCount: 0,
  };
}

/** Each spike: key, evidence rows, evidence block, and what it says (records, time, summary). */
async function spikes(
  t: TestDb,
): Promise<
  { key: string; evidence: number; block: number; records: number; occurred: string; summary: string }[]
> {
  const { rows } = await t.db.execute<{
    key: string;
    evidence: number;
    block: string;
    records: string;
    occurred: string;
    summary: string;
  }>(sql`
    select i.finding_key as key, count(e.*)::int as evidence, i.evidence_block::text as block,
      i.facts->>'records' as records, i.occurred_at::text as occurred, i.summary
    from incidents i left join incident_evidence e on e.incident_id = i.id
    where i.rule = 'VOLUME_SPIKE' group by i.id order by i.finding_key`);
  return rows.map((r) => ({ ...r, block: Number(r.block), records: Number(r.records) }));
}

const keyOf = (i: number) => `${addr(i + 1)}-${dataset}-${DAYS[i]}`;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDb(), createTestDb()]);
});
afterAll(async () => {
  await Promise.all([first?.drop(), second?.drop()]);
});

describe('VOLUME_SPIKE behind a backfill', () => {
  it('passes over each committed stretch find exactly what one pass after the sync finds', async () => {
    const behind = new DetectionBehindSync({ db: first.db, chainId: CHAIN, settings, openDayEveryMs: 0 });
    const step = async (from: number, to: number) => {
      await commit(first, from, to);
      behind.committed(range(from, to));
      await behind.idle();
    };
    await step(0, 5); // 09-10 open, 900 records: nothing yet
    expect([behind.runs, behind.created, behind.firstUndetectedDay]).toEqual([1, 0, DAYS[0]]);
    await step(6, 24); // 09-10 and 09-11 complete; 09-12 open at 750 records
    expect([behind.created, behind.firstUndetectedDay]).toEqual([2, DAYS[2]]);
    await step(25, 28); // 09-12 open at 1,350 records: found mid-day, its evidence so far
    expect(behind.created).toBe(3);
    expect((await spikes(first)).find((x) => x.key === keyOf(2))).toMatchObject({
      key: keyOf(2),
      evidence: 9,
      block: 28,
      records: 1_350,
    });
    await step(29, 49); // 09-12 completes (its evidence grows), 09-13 complete, 09-14 open
    await behind.settle();
    expect([behind.created, behind.firstUndetectedDay]).toEqual([5, DAYS[4]]);

    const final = await runWindowedDetection({
      db: first.db,
      chainId: CHAIN,
      settings,
      liveStall: false,
      fromDay: behind.firstUndetectedDay,
    });
    expect(final.volumeSpikes).toEqual({ found: 1, created: 0 });

    await commit(second, 0, 49);
    await runWindowedDetection({ db: second.db, chainId: CHAIN, settings, liveStall: false });
    const once = await spikes(second);
    expect(once.map(({ key, evidence, block, records }) => ({ key, evidence, block, records }))).toEqual(
      DAYS.map((_, i) => ({ key: keyOf(i), evidence: 10, block: i * 10 + 9, records: 1_500 })).sort((a, b) =>
        a.key < b.key ? -1 : 1,
      ),
    );
    // The spike found mid-day says what the whole day said, as if found after it.
    expect(await spikes(first)).toEqual(once);
  });

  it('runs one pass at a time and leaves a rolled-back stretch to be detected again', async () => {
    const behind = new DetectionBehindSync({ db: second.db, chainId: CHAIN, settings, openDayEveryMs: 0 });
    behind.committed(range(0, 35)); // 09-10 … 09-12 complete, 09-13 open
    behind.committed(range(36, 45)); // a pass is running: this range waits for the next
    await behind.settle();
    expect(behind.runs).toBe(1);
    expect(behind.firstUndetectedDay).toBe(DAYS[3]);

    const rolled = new DetectionBehindSync({ db: second.db, chainId: CHAIN, settings, openDayEveryMs: 0 });
    rolled.committed(range(0, 35));
    await rolled.beforeRollback();
    // Until a range commits after the rollback, how far it reached is unknown: everything is left.
    expect(rolled.firstUndetectedDay).toBeUndefined();
    rolled.committed(range(12, 13)); // the chain continues from block 11 (09-11): back to 09-11
    await rolled.settle();
    expect(rolled.firstUndetectedDay).toBe(DAYS[1]);
  });
});
