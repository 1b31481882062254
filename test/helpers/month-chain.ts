import { rpc } from './anvil';
import type { IndexerHarness } from './indexer';
import { basicScenario, id } from './scenario';

/**
 * A chain over three Asia/Shanghai months (January to March 2025) for the partition tests: the
 * basic scenario in January (its incidents: access without grant, cross-province sensitive,
 * duplicate reimbursement), lawful accesses and a second completion of January's case id in
 * February, lawful accesses in March. Genesis is pinned, so no figure depends on today's date.
 */
export const MONTH_CHAIN_GENESIS = Date.UTC(2025, 0, 9, 2) / 1000; // 2025-01-09 10:00 Shanghai
const FEBRUARY = Date.UTC(2025, 1, 12, 2) / 1000;
const MARCH = Date.UTC(2025, 2, 12, 2) / 1000;

export async function seedMonthChain(h: IndexerHarness) {
  const w = await basicScenario(h.scenario);
  const lawful = (tag: string, n: number) =>
    h.scenario.accessBatch(
      Array.from({ length: n }, (_, i) => ({
        grantId: w.g,
        datasetId: w.ds,
        accessor: w.tax,
        mode: 4,
        purpose: 4,
        recordCount: 1 + i,
        payloadHash: id(`${tag}-${i}`),
      })),
    );
  await rpc(h.anvil.url, 'evm_setNextBlockTimestamp', [FEBRUARY]);
  await lawful('feb', 5);
  // The same case id again: the first (January) row is the one kept.
  await h.scenario.completeCase({
    caseId: id('case-1'),
    org: w.police,
    regionCode: 440100,
    itemCode: 1001,
    channel: 1,
    orgsInvolved: 1,
    durationMinutes: 10,
  });
  await h.scenario.completeCase({
    caseId: id('case-2'),
    org: w.police,
    regionCode: 440100,
    itemCode: 1001,
    channel: 2,
    orgsInvolved: 1,
    durationMinutes: 20,
  });
  await rpc(h.anvil.url, 'evm_setNextBlockTimestamp', [MARCH]);
  await lawful('mar', 4);
  return {
    ...w,
    /**
     * Rows per month of the tables the indexer writes: raw events but DataAccessed, accesses (each
     * DataAccessed's only row), cases. chain_events holds 16, 7 and 4.
     */
    perMonth: {
      '2025-01': { events: 13, accesses: 3, cases: 1 },
      '2025-02': { events: 2, accesses: 5, cases: 1 },
      '2025-03': { events: 0, accesses: 4, cases: 0 },
    },
  };
}
