import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { basicScenario, id } from '../helpers/scenario';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';

let h: IndexerHarness;
let ctx: IndexerContext;
let written: Awaited<ReturnType<typeof basicScenario>>;

beforeAll(async () => {
  h = await createIndexerHarness();
  written = await basicScenario(h.scenario);
  ctx = await createIndexerContext(h.env());
});
afterAll(async () => {
  await ctx.dbh.close();
  await h.close();
});

describe('indexer on a scripted chain', () => {
  it('indexes every event exactly once, with projections, rollups and per-event incidents', async () => {
    // nearTarget (work meant for the end starts beside the last ranges) comes once, when the range
    // reaching the head is read: before it commits, with no more than the pipeline's three after it.
    const seen: string[] = [];
    const s = await syncToHead(ctx, {
      nearTarget: () => seen.push('near'),
      onRange: (r) => seen.push(`range ${r.toBlock}`),
    });
    expect(seen.filter((x) => x === 'near')).toHaveLength(1);
    const after = seen.slice(seen.indexOf('near') + 1);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.length).toBeLessThanOrEqual(3);
    expect(after[after.length - 1]).toBe(`range ${s.headBlock}`);
    expect(s.events).toBe(16);
    const c = await h.counts();
    expect(c).toMatchObject({
      events: 16,
      accesses: 3,
      cases: 1,
      orgs: 4,
      datasets: 1,
      grants: 1,
      invoices: 1,
      certificates: 1,
      service_items: 1,
    });
    const inv = await h.db.pool.query(
      'SELECT reimbursed_fen, reimbursement_count, amount_fen FROM invoices WHERE invoice_hash = $1',
      [written.inv],
    );
    expect(inv.rows[0]).toEqual({ reimbursed_fen: '12000', reimbursement_count: 2, amount_fen: '12345' });
    const grant = await h.db.pool.query('SELECT access_count, revoked FROM grants WHERE grant_id = $1', [
      written.g,
    ]);
    expect(grant.rows[0]).toEqual({ access_count: 2, revoked: false });
    const flows = await h.db.pool.query<{ records: string }>(
      'SELECT sum(records)::text AS records, sum(accesses)::int AS accesses FROM flow_daily',
    );
    expect(flows.rows[0]).toEqual({ records: '155', accesses: 3 });
    const adoption = await h.db.pool.query(
      'SELECT cases_total, cases_mobile, joint_cases FROM adoption_daily',
    );
    expect(adoption.rows).toEqual([{ cases_total: 1, cases_mobile: 1, joint_cases: 1 }]);
    const incidents = await h.db.pool.query<{ rule: string; region_code: number }>(
      'SELECT rule, region_code FROM incidents ORDER BY rule',
    );
    expect(incidents.rows).toEqual([
      { rule: 'ACCESS_WITHOUT_GRANT', region_code: 330100 },
      { rule: 'CROSS_PROVINCE_SENSITIVE', region_code: 330100 },
      { rule: 'DUPLICATE_REIMBURSEMENT', region_code: 440300 },
    ]);
    const cursor = await h.db.pool.query<{ indexed_block: string }>('SELECT indexed_block FROM cursors');
    expect(Number(cursor.rows[0]!.indexed_block)).toBe(s.headBlock);
  });

  it('indexing again changes nothing', async () => {
    const before = await h.counts();
    let near = 0;
    const s = await syncToHead(ctx, { nearTarget: () => (near += 1) });
    expect(s.events).toBe(0);
    expect(near).toBe(0); // nothing left to read
    expect(await h.counts()).toEqual(before);
  });

  it('a re-planned range over committed blocks writes nothing twice', async () => {
    const before = await h.counts();
    await h.db.pool.query('UPDATE cursors SET indexed_block = indexed_block'); // unchanged cursor
    const { commitRange } = await import('../../workers/indexer/live-commit');
    const { fetchRange } = await import('../../workers/indexer/fetch-range');
    const range = await fetchRange(
      ctx.reader,
      { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress },
      ctx.startBlock,
      ctx.startBlock + 10,
    );
    const outcome = await commitRange(ctx.dbh.pool, ctx.chainId, range, ctx.settings);
    expect(outcome.kind).toBe('already-done');
    expect(await h.counts()).toEqual(before);
  });

  it('a range read in parts (one block per eth_getLogs, three at a time) equals the range read whole', async () => {
    const { fetchRange } = await import('../../workers/indexer/fetch-range');
    const decode = { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress };
    const head = (await ctx.reader.getHead()).number;
    const whole = await fetchRange(ctx.reader, decode, ctx.startBlock, head);
    const parts = await fetchRange(ctx.reader, decode, ctx.startBlock, head, {
      chunkBlocks: 1,
      concurrency: 3,
    });
    expect(whole.events).toHaveLength(16);
    expect(parts).toEqual(whole);
  });

  it('a range over its byte budget ends after the sub-range that filled it, and the next range reads the rest', async () => {
    const { fetchRange } = await import('../../workers/indexer/fetch-range');
    const decode = { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress };
    const head = (await ctx.reader.getHead()).number;
    const whole = await fetchRange(ctx.reader, decode, ctx.startBlock, head);
    // One block per request, one at a time, a budget of one byte: the first block holding a log
    // fills it, so the range ends there.
    const firstWithLog = whole.events[0]!.blockNumber;
    const first = await fetchRange(ctx.reader, decode, ctx.startBlock, head, {
      chunkBlocks: 1,
      concurrency: 1,
      maxBytes: 1,
    });
    expect(first.toBlock).toBe(firstWithLog);
    expect(first.events).toEqual(whole.events.filter((e) => e.blockNumber === firstWithLog));
    expect(first.headers.at(-1)).toEqual(whole.headers.find((x) => x.number === firstWithLog));
    expect(first.bytes).toBeGreaterThan(0);
    // What follows, read with no budget, completes the range exactly.
    const rest = await fetchRange(ctx.reader, decode, first.toBlock + 1, head);
    expect([...first.events, ...rest.events]).toEqual(whole.events);
    expect(rest.toBlock).toBe(head);
  });

  it('follows new blocks: a later access lands in the same rollup row', async () => {
    await h.scenario.access({
      grantId: written.g,
      datasetId: written.ds,
      accessor: written.tax,
      mode: 2,
      purpose: 4,
      recordCount: 7,
      payloadHash: id('p4'),
    });
    const s = await syncToHead(ctx);
    expect(s.events).toBe(1);
    const flows = await h.db.pool.query('SELECT accesses, records FROM flow_daily WHERE mode = 2');
    expect(flows.rows).toEqual([{ accesses: 2, records: '127' }]);
  });
});
