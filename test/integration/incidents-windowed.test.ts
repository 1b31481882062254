import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Address } from 'viem';
import {
  accessDaily,
  accesses,
  blocks,
  datasets,
  events,
  incidents,
  indexerHealth,
  orgs,
} from '../../db/schema';
import { DEFAULT_RULE_SETTINGS } from '../../domain/rules';
import { runWindowedDetection } from '../../workers/incidents/detect-windowed';
import { detectChainStalls } from '../../workers/rules/chain-stalled';
import { detectVolumeSpikes } from '../../workers/rules/volume-spike';
import { createTestDb, type TestDb } from '../helpers/db';
import { addr, h32 } from '../unit/rules-fixtures';

const CHAIN = 31337;
const settings = { ...DEFAULT_RULE_SETTINGS };
const dataset = h32(0x7001);
const D = '2026-09-15';
let t: TestDb;

function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

async function seedPair(accessor: Address, history: number[], today: number) {
  const rows = history.map((records, i) => ({
    chainId: CHAIN,
    day: daysBefore(D, history.length - i),
    accessor,
    datasetId: dataset,
    accesses: 1,
    records,
  }));
  rows.push({ chainId: CHAIN, day: D, accessor, datasetId: dataset, accesses: 3, records: today });
  await t.db.insert(accessDaily).values(rows);
}

let logIndex = 0;
async function seedAccess(accessor: Address, iso: string, blockNumber: number) {
  await t.db.insert(accesses).values({
    chainId: CHAIN,
    blockNumber,
    logIndex: logIndex++,
    txHash: h32(blockNumber),
    blockTime: new Date(iso),
    grantId: h32(1),
    datasetId: dataset,
    accessor,
    owner: addr(0xa1),
    category: 1,
    sensitivity: 3,
    ownerRegion: 440100,
    accessorRegion: 440300,
    mode: 2,
    purpose: 1,
    recordCount: 700,
    payloadHash: h32(2),
    txIndex: 0,
    addressId: 1,
  });
}

beforeAll(async () => {
  t = await createTestDb();
  await t.db.insert(orgs).values({
    chainId: CHAIN,
    address: addr(1),
    orgCode: h32(1),
    regionCode: 440300,
    kind: 21,
    name: '深圳市某医院',
    active: true,
    registeredBlock: 1,
    registeredAt: new Date(),
    registeredLogIndex: 0,
    registeredTx: h32(1),
    lastBlock: 1,
  });
  await t.db.insert(datasets).values({
    chainId: CHAIN,
    datasetId: dataset,
    owner: addr(0xa1),
    category: 1,
    sensitivity: 3,
    title: '户籍人口基础信息',
    registeredBlock: 1,
    lastBlock: 1,
  });
  await seedPair(addr(1), [100, 300, 200], 2001); // odd: median 200 → threshold 2000 → fires
  await seedPair(addr(2), [100, 300, 200], 2000); // equal to threshold → lawful
  await seedPair(addr(3), [100, 200, 300, 400], 2501); // even: median 250 → 2500 → fires
  await seedPair(addr(4), [100, 200, 300, 400], 2500); // lawful
  await seedPair(addr(5), [], 1001); // no active day → 1000 → fires
  await seedPair(addr(6), [], 1000); // lawful
  // Only the previous 14 active days count: ten old days of 10,000 would lift the median.
  await seedPair(addr(7), [...Array<number>(10).fill(10_000), ...Array<number>(14).fill(50)], 1001);
  // Days without an access are no one's history: counted, the seven zeros among the last 14 rows
  // would lower the median from 200 to 100, and 1,500 would pass the threshold of 1,000.
  await t.db.insert(accessDaily).values(
    Array.from({ length: 28 }, (_, i) => ({
      chainId: CHAIN,
      day: daysBefore(D, 28 - i),
      accessor: addr(8),
      datasetId: dataset,
      accesses: i % 2 === 0 ? 1 : 0,
      records: i % 2 === 0 ? 200 : 0,
    })),
  );
  await seedPair(addr(8), [], 1500);
  // Evidence: the accesses of addr(1) in D's Shanghai day, [D-1 16:00:00Z, D 16:00:00Z).
  await seedAccess(addr(1), '2026-09-14T15:59:59Z', 10); // 09-14 23:59:59 +08 — previous day
  await seedAccess(addr(1), '2026-09-14T16:00:00Z', 11); // 09-15 00:00:00 +08
  await seedAccess(addr(1), '2026-09-15T15:59:59Z', 12); // 09-15 23:59:59 +08
  await seedAccess(addr(1), '2026-09-15T16:00:00Z', 13); // 09-16 00:00:00 +08 — next day
  for (const a of [3, 5, 7, 8]) await seedAccess(addr(a), '2026-09-15T02:00:00Z', 20 + a);
});
afterAll(async () => {
  await t.drop();
});

describe('VOLUME_SPIKE over access_daily', () => {
  it('fires strictly above max(1000, 10 × median of the previous 14 active days)', async () => {
    const found = await detectVolumeSpikes({ db: t.db, chainId: CHAIN, settings });
    expect(found.map((f) => f.key).sort()).toEqual(
      [1, 3, 5, 7].map((a) => `${addr(a)}-${dataset}-${D}`).sort(),
    );
  });

  it('names as evidence the accesses of the Shanghai day, dated by the newest, with the accessor region', async () => {
    const found = await detectVolumeSpikes({ db: t.db, chainId: CHAIN, settings, fromDay: D, toDay: D });
    const f = found.find((x) => x.orgAddress === addr(1));
    expect(f).toMatchObject({ rule: 'VOLUME_SPIKE', severity: 'medium', regionCode: 440300 });
    // The day's accesses are copied by Postgres when the incident is written (see below).
    expect(f?.evidence).toEqual([]);
    expect(f?.evidenceOfAccessDay).toEqual({ accessor: addr(1), datasetId: dataset, day: D });
    expect(f?.anchorBlock).toBe(12);
    expect(f?.occurredAt).toBe(Date.parse('2026-09-15T15:59:59Z') / 1000);
    expect(f?.summary).toContain('深圳市某医院');
    expect(f?.summary).toContain('阈值 2000');
    expect(found.find((x) => x.orgAddress === addr(3))?.summary).toContain('中位数 250');
  });

  it('honours the day range', async () => {
    expect(await detectVolumeSpikes({ db: t.db, chainId: CHAIN, settings, toDay: daysBefore(D, 1) })).toEqual(
      [],
    );
  });
});

describe('CHAIN_STALLED over blocks', () => {
  const base = Date.parse('2026-09-15T00:00:00Z') / 1000;
  const ts = new Map<number, number>();

  beforeAll(async () => {
    let time = base;
    for (let n = 1; n <= 20; n++) {
      if (n > 1) time += n === 11 ? 100 : n === 15 ? 20 : 2;
      ts.set(n, time);
      if (n === 18) continue; // 17 → 19 is not a consecutive pair
      await t.db.insert(blocks).values({
        chainId: CHAIN,
        number: n,
        hash: h32(0xb000 + n),
        parentHash: h32(0xb000 + n - 1),
        timestamp: new Date(time * 1000),
      });
    }
    for (const li of [3, 0]) {
      await t.db.insert(events).values({
        chainId: CHAIN,
        blockNumber: 11,
        logIndex: li,
        txHash: h32(0xe000 + li),
        txIndex: 0,
        blockTime: new Date(ts.get(11)! * 1000),
        contract: 'DataSharing',
        address: addr(0xc0),
        eventName: 'DataAccessed',
        args: {},
      });
    }
  });

  it('fires for a gap strictly above 10 × the median interval, evidence the first event of block n', async () => {
    const head = ts.get(20)!;
    const found = await detectChainStalls({ db: t.db, chainId: CHAIN, settings, now: head + 20 });
    expect(found.map((f) => f.key)).toEqual(['11']);
    expect(found[0]).toMatchObject({
      rule: 'CHAIN_STALLED',
      severity: 'high',
      regionCode: 0,
      orgAddress: null,
      anchorBlock: 11,
    });
    expect(found[0]?.evidence).toEqual([{ blockNumber: 11, logIndex: 0, txHash: h32(0xe000) }]);
  });

  it('fires live when now − head time exceeds 10 × the usual interval (latest block or indexer_health)', async () => {
    const head = ts.get(20)!;
    const live = await detectChainStalls({ db: t.db, chainId: CHAIN, settings, now: head + 21 });
    expect(live.map((f) => f.key)).toEqual(['11', 'live-20']);
    await t.db.insert(indexerHealth).values({
      chainId: CHAIN,
      headBlock: 25,
      headTime: new Date((head + 10) * 1000),
      indexedBlock: 20,
      lagBlocks: 5,
      lagSeconds: 10,
    });
    const viaHealth = await detectChainStalls({ db: t.db, chainId: CHAIN, settings, now: head + 31 });
    expect(viaHealth.map((f) => f.key)).toEqual(['11', 'live-25']);
    expect(viaHealth[1]?.evidence).toEqual([]);
  });

  it('runWindowedDetection writes both rules once and nothing on a rerun', async () => {
    const now = ts.get(20)! + 31;
    const first = await runWindowedDetection({ db: t.db, chainId: CHAIN, settings, now });
    expect(first).toEqual({ volumeSpikes: { found: 4, created: 4 }, chainStalls: { found: 2, created: 2 } });
    const again = await runWindowedDetection({ db: t.db, chainId: CHAIN, settings, now });
    expect(again).toEqual({ volumeSpikes: { found: 4, created: 0 }, chainStalls: { found: 2, created: 0 } });
    const rows = await t.db
      .select({ rule: incidents.rule, n: sql<number>`count(*)::int` })
      .from(incidents)
      .groupBy(incidents.rule);
    expect(Object.fromEntries(rows.map((r) => [r.rule, r.n]))).toEqual({ VOLUME_SPIKE: 4, CHAIN_STALLED: 2 });
    // Evidence: exactly the accesses of the pair's Shanghai day, each once, however often it runs.
    const spikeOf = `${addr(1)}-${dataset}-${D}`;
    const evidenceOf = async () =>
      (
        await t.db.execute<{ block_number: string; evidence_block: string }>(sql`
          select e.block_number::text, i.evidence_block::text from incidents i
          join incident_evidence e on e.incident_id = i.id
          where i.rule = 'VOLUME_SPIKE' and i.finding_key = ${spikeOf} order by e.block_number`)
      ).rows;
    expect(await evidenceOf()).toEqual([
      { block_number: '11', evidence_block: '12' },
      { block_number: '12', evidence_block: '12' },
    ]);
    // A later access of the same day (indexed after the first run) joins the evidence on the next
    // run and raises the evidence block; nothing else changes. (The day's newest access dates
    // the spike and names its evidence block: block times only grow.)
    await seedAccess(addr(1), '2026-09-15T15:59:59.500Z', 14);
    const third = await runWindowedDetection({ db: t.db, chainId: CHAIN, settings, now });
    expect(third).toEqual({ volumeSpikes: { found: 4, created: 0 }, chainStalls: { found: 2, created: 0 } });
    expect(await evidenceOf()).toEqual([
      { block_number: '11', evidence_block: '14' },
      { block_number: '12', evidence_block: '14' },
      { block_number: '14', evidence_block: '14' },
    ]);
  });
});

describe('CHAIN_STALLED when the chain changes pace', () => {
  // Another chain in the same database: 40 blocks an hour apart (a history), then 200 blocks
  // 3 s apart (live). The live blocks outnumber the hourly ones, so the chain-wide median is 3 s.
  const PACED = 4242;
  const base = Date.parse('2026-09-01T00:00:00Z') / 1000;
  let time = base;
  let n = 0;
  const add = async (gap: number) => {
    n += 1;
    time += n > 1 ? gap : 0;
    await t.db.insert(blocks).values({
      chainId: PACED,
      number: n,
      hash: h32(0xc0000 + n),
      parentHash: h32(0xc0000 + n - 1),
      timestamp: new Date(time * 1000),
    });
  };

  beforeAll(async () => {
    for (let i = 0; i < 40; i++) await add(3600);
    for (let i = 0; i < 200; i++) await add(3);
    // A stall in the live part: 45 s against a usual 3 s, far below the hourly history's pace.
    await add(45);
    for (let i = 0; i < 5; i++) await add(3);
  });

  it('judges each gap by how the chain ran just before it, not by the chain-wide median', async () => {
    const found = await detectChainStalls({ db: t.db, chainId: PACED, settings, now: time + 5 });
    expect(found.map((f) => f.key)).toEqual(['241']);
    expect(found[0]?.facts).toMatchObject({ gapSeconds: 45, usualSeconds: 3 });
  });

  it('the live stall is judged by the recent pace too', async () => {
    const found = await detectChainStalls({ db: t.db, chainId: PACED, settings, now: time + 31 });
    expect(found.map((f) => f.key)).toEqual(['241', 'live-246']);
  });
});

describe('CHAIN_STALLED on a jittery chain', () => {
  // Intervals alternate 1 s and 3 s (median 2 s, smallest 1 s): a 25 s gap is a stall, a 15 s gap
  // (above ten times the smallest interval, not ten times the median) is not.
  const JITTERY = 4343;
  const base = Date.parse('2026-09-02T00:00:00Z') / 1000;

  beforeAll(async () => {
    let time = base;
    const rows = [];
    for (let n = 1; n <= 200; n++) {
      if (n > 1) time += n === 60 ? 15 : n === 170 ? 25 : n % 2 === 0 ? 1 : 3;
      rows.push({
        chainId: JITTERY,
        number: n,
        hash: h32(0xd0000 + n),
        parentHash: h32(0xd0000 + n - 1),
        timestamp: new Date(time * 1000),
      });
    }
    await t.db.insert(blocks).values(rows);
  });

  it('confirms each candidate gap against the median of the 64 intervals before it', async () => {
    const found = await detectChainStalls({ db: t.db, chainId: JITTERY, settings, now: base, live: false });
    expect(found.map((f) => f.key)).toEqual(['170']);
    expect(found[0]?.facts).toMatchObject({ gapSeconds: 25, usualSeconds: 2 });
  });
});
