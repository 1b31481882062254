import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { rpc } from '../helpers/anvil';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { addr } from '../helpers/scenario';

/*
 * A block time past 9999-12-31 (anvil takes any u64; a broken or lying node can answer one) has no
 * day or month the rollups and partitions can name. The indexer stops with an error that names the
 * block, and writes nothing of it or after it.
 */
let h: IndexerHarness;
let far: number;
const YEAR_10000 = 253_402_300_800;

beforeAll(async () => {
  h = await createIndexerHarness();
  await h.scenario.registerOrg(addr('before'), 440100, 2, '广州市民政局');
  await rpc(h.anvil.url, 'evm_setNextBlockTimestamp', [YEAR_10000]);
  far = (await h.scenario.registerOrg(addr('far'), 440100, 2, '广州市公安局')).blockNumber;
});
afterAll(async () => {
  await h.close();
});

describe('a block time past any date', () => {
  it('stops the sync with an error naming the block; nothing of it is written', async () => {
    const ctx = await createIndexerContext(h.env());
    try {
      await expect(syncToHead(ctx)).rejects.toThrow(
        `block ${far} has timestamp ${YEAR_10000}, later than 9999-12-31 (Asia/Shanghai): no day can name it`,
      );
    } finally {
      await ctx.dbh.close();
    }
    const cursor = await h.db.pool.query<{ indexed_block: string }>('SELECT indexed_block FROM cursors');
    expect(Number(cursor.rows[0]?.indexed_block ?? 0)).toBeLessThan(far);
    const farRows = await h.db.pool.query('SELECT 1 FROM chain_events WHERE block_number >= $1', [far]);
    expect(farRows.rows).toEqual([]);
  });
});
