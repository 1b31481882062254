import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { createIndexerHarness } from '../helpers/indexer';
import { basicScenario, id } from '../helpers/scenario';

/**
 * The oversight tests' world: basicScenario (ACCESS_WITHOUT_GRANT and CROSS_PROVINCE_SENSITIVE in
 * Hangzhou 330100, DUPLICATE_REIMBURSEMENT by Shenzhen tax 440300) plus a revoked certificate used
 * by the Guangzhou hospital (REVOKED_CERTIFICATE_USED, 440100) and an access by Shenzhen tax in a
 * mode its grant lacks (MODE_NOT_GRANTED, 440300), indexed by the real indexer into `databaseUrl`.
 */
export async function seedOversight(databaseUrl: string) {
  const h = await createIndexerHarness();
  try {
    const written = await basicScenario(h.scenario);
    await h.scenario.revokeCert(written.cert, written.police);
    await h.scenario.verifyCert(written.cert, written.hospital);
    const modeAccess = await h.scenario.access({
      grantId: written.g,
      datasetId: written.ds,
      accessor: written.tax,
      mode: 8,
      purpose: 4,
      recordCount: 7,
      payloadHash: id('p4'),
    });
    const ctx = await createIndexerContext(h.env({ DATABASE_URL: databaseUrl }));
    try {
      await syncToHead(ctx);
    } finally {
      await ctx.dbh.close();
    }
    return { ...written, modeAccessTx: modeAccess.hash, p1: id('p1') };
  } finally {
    await h.close();
  }
}

export type Seeded = Awaited<ReturnType<typeof seedOversight>>;
