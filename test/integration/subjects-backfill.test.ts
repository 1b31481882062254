import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext, type IndexerContext } from '~/workers/indexer/context';
import { syncToHead } from '~/workers/indexer/backfill';
import { RangeSizer } from '~/workers/indexer/range-size';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { basicScenario, id } from '../helpers/scenario';

/*
 * A first backfill looks up among the stored invoices and certificates only those its ranges have
 * touched (workers/indexer/written-keys.ts, ProjectionStore.loadFor). Here an invoice and a
 * certificate come back after many ranges, long after the store let them go: the later
 * reimbursement and verification must find the stored rows, not start ones of their own.
 */

let h: IndexerHarness;
let w: Awaited<ReturnType<typeof basicScenario>>;
const opened: IndexerContext[] = [];

beforeAll(async () => {
  h = await createIndexerHarness();
  w = await basicScenario(h.scenario);
  // Blocks of other subjects in between, one transaction (and block, and range below) each.
  for (let i = 0; i < 4; i++) await h.scenario.issueInvoice(id(`other-${i}`), w.hospital, 440100, 100n);
  await h.scenario.reimburse(w.inv, w.tax, 300n);
  await h.scenario.verifyCert(w.cert, w.hz);
});
afterAll(async () => {
  for (const c of opened) await c.dbh.close();
  await h.close();
});

describe('invoices and certificates a first backfill meets again', () => {
  it('are read back from what it wrote, one range per block', async () => {
    const ctx = await createIndexerContext(h.env());
    opened.push(ctx);
    const s = await syncToHead(ctx, { sizer: new RangeSizer(1, 1, 1) });
    expect(s.ranges).toBeGreaterThan(10);
    const { rows: invoices } = await h.db.pool.query<Record<string, unknown>>(
      `SELECT issuer, region_code, amount_fen::text AS amount, reimbursed_fen::text AS reimbursed,
              reimbursement_count, issued_block IS NOT NULL AS issued,
              first_reimbursed_block < last_block AS reimbursed_again_later
         FROM invoices WHERE invoice_hash = $1`,
      [w.inv],
    );
    expect(invoices).toEqual([
      {
        issuer: w.hospital.toLowerCase(),
        region_code: 440100,
        amount: '12345',
        reimbursed: '12300',
        reimbursement_count: 3,
        issued: true,
        reimbursed_again_later: true,
      },
    ]);
    const { rows: certificates } = await h.db.pool.query<Record<string, unknown>>(
      `SELECT issuer, cert_type, region_code, verification_count, issued_block IS NOT NULL AS issued
         FROM certificates WHERE cert_hash = $1`,
      [w.cert],
    );
    expect(certificates).toEqual([
      {
        issuer: w.police.toLowerCase(),
        cert_type: 2,
        region_code: 440100,
        verification_count: 2,
        issued: true,
      },
    ]);
  });
});
