import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainReader } from '~/workers/chain/reader';
import { createIndexerContext, type IndexerContext } from '~/workers/indexer/context';
import { AheadDepth } from '~/workers/indexer/ahead-depth';
import { syncToHead } from '~/workers/indexer/backfill';
import { RangeSizer } from '~/workers/indexer/range-size';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { basicScenario, id } from '../helpers/scenario';

/**
 * Two ranges ahead whatever the pace (ranges of one block write slower than they prepare, which
 * would leave one), and the time of each half as the backfill reports it.
 */
class TwoAheadTimed extends AheadDepth {
  readonly prepares: number[] = [];
  readonly writes: number[] = [];
  override prepared(ms: number): void {
    this.prepares.push(ms);
  }
  override written(ms: number): void {
    this.writes.push(ms);
  }
  override get depth(): 2 {
    return 2;
  }
}

/*
 * A backfill prepares up to two ranges ahead of the one being written (ahead-depth.ts).
 * Here the write of the range that issues an invoice is held (its cursor row locked) while the
 * next two ranges are prepared, the second of them reimbursing that invoice: the store must still
 * hold the invoice then (its issue is not committed, so reading it back would find nothing), and
 * the reimbursement must land on it, not on an unknown invoice.
 */

let h: IndexerHarness;
const blocks = { issue: 0, between: 0, reimburse: 0, after: 0 };
const invoice = id('held-invoice');
let hospital: `0x${string}`;
let claimant: `0x${string}`;
const opened: IndexerContext[] = [];

beforeAll(async () => {
  h = await createIndexerHarness();
  const w = await basicScenario(h.scenario);
  hospital = w.hospital;
  claimant = w.tax;
  blocks.issue = (await h.scenario.issueInvoice(invoice, hospital, 440100, 500n)).blockNumber;
  blocks.between = (await h.scenario.issueInvoice(id('other'), hospital, 440100, 7n)).blockNumber;
  blocks.reimburse = (await h.scenario.reimburse(invoice, claimant, 500n)).blockNumber;
  blocks.after = (await h.scenario.issueInvoice(id('last'), hospital, 440100, 9n)).blockNumber;
});
afterAll(async () => {
  for (const c of opened) await c.dbh.close();
  await h.close();
});

describe('ranges prepared ahead of a held write', () => {
  it('reimburse an invoice whose issue is still being written', async () => {
    expect([blocks.between, blocks.reimburse, blocks.after]).toEqual([
      blocks.issue + 1,
      blocks.issue + 2,
      blocks.issue + 3,
    ]);
    const ctx = await createIndexerContext(h.env());
    opened.push(ctx);
    const order: string[] = [];
    const lock = new pg.Client({ connectionString: h.db.url });
    await lock.connect();
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    // The range after the reimbursement is asked for when the reimbursement's range is taken
    // for preparation; the held write is let go a moment after (or after 5 s, for a pipeline
    // that would only prepare it after the write).
    const fallback = setTimeout(release, 5_000);
    const reader: ChainReader = {
      ...ctx.reader,
      getLogs: (a, b) => {
        if (a === blocks.after) {
          order.push('reimbursement prepared');
          setTimeout(release, 500);
        }
        return ctx.reader.getLogs(a, b);
      },
    };
    const depth = new TwoAheadTimed();
    await lock.query('BEGIN');
    try {
      const s = await syncToHead(
        { ...ctx, reader },
        {
          sizer: new RangeSizer(1, 1, 1),
          aheadDepth: depth,
          onRange: async (r) => {
            if (r.toBlock === blocks.issue - 1) {
              await lock.query('SELECT 1 FROM cursors WHERE chain_id = $1 FOR UPDATE', [ctx.chainId]);
              void released.then(() => lock.query('COMMIT'));
            }
            if (r.toBlock === blocks.issue) order.push('issue committed');
          },
        },
      );
      expect(s.events).toBeGreaterThan(0);
      // Each range's preparation and write timed once; the held write lasted the hold at least.
      expect([depth.prepares.length, depth.writes.length]).toEqual([s.ranges, s.ranges]);
      const issueWrite = depth.writes[blocks.issue - (blocks.after - s.ranges + 1)]!;
      expect(issueWrite).toBeGreaterThanOrEqual(450);
    } finally {
      clearTimeout(fallback);
      await lock.end();
    }
    expect(order).toEqual(['reimbursement prepared', 'issue committed']);
    const { rows } = await h.db.pool.query<Record<string, unknown>>(
      `SELECT amount_fen::text AS amount, reimbursed_fen::text AS reimbursed, reimbursement_count,
              issued_block::int AS issued_block
         FROM invoices WHERE invoice_hash = $1`,
      [invoice],
    );
    expect(rows).toEqual([
      { amount: '500', reimbursed: '500', reimbursement_count: 1, issued_block: blocks.issue },
    ]);
    const { rows: unknown } = await h.db.pool.query(
      `SELECT 1 FROM incidents WHERE rule = 'UNKNOWN_INVOICE_REIMBURSED'`,
    );
    expect(unknown).toEqual([]);
  });
});
