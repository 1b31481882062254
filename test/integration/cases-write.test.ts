import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { rpc } from '../helpers/anvil';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { id } from '../helpers/scenario';
import { addr } from '../unit/rules-fixtures';

// A case id is unique by design: of several CaseCompleted with one id, the first in chain order is
// the row kept, whether the repeat comes in the same range or in a later one (then the stored id
// is found by lookup, as no unique index can span the months' partitions).
let h: IndexerHarness;
let ctx: IndexerContext;

const org = addr(0xc1);
const complete = (caseId: string, channel: number) =>
  h.scenario.completeCase({
    caseId: id(caseId),
    org,
    regionCode: 440100,
    itemCode: 1001,
    channel,
    orgsInvolved: 1,
    durationMinutes: 10,
  });
const head = async () => Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
const stored = async () =>
  (
    await h.db.pool.query<{ case_id: string; channel: number; block_number: string }>(
      'SELECT case_id, channel, block_number FROM cases ORDER BY block_number, case_id',
    )
  ).rows;

beforeAll(async () => {
  h = await createIndexerHarness();
  ctx = await createIndexerContext(h.env());
});
afterAll(async () => {
  await ctx.dbh.close();
  await h.close();
});

describe('cases written by the range writer', () => {
  it('keeps the first of a case id repeated within one range', async () => {
    await complete('a', 1);
    await complete('a', 2);
    await complete('b', 3);
    const to = await head();
    await syncToHead(ctx, { untilBlock: to });
    expect(await stored()).toEqual([
      { case_id: id('a'), channel: 1, block_number: String(to - 2) },
      { case_id: id('b'), channel: 3, block_number: String(to) },
    ]);
  });

  it('keeps the stored row of a case id repeated in a later range, and writes the range’s new ones', async () => {
    const before = await stored();
    await complete('b', 4);
    await complete('c', 5);
    await complete('a', 6);
    await complete('c', 7);
    const to = await head();
    await syncToHead(ctx, { untilBlock: to });
    expect(await stored()).toEqual([
      ...before,
      { case_id: id('c'), channel: 5, block_number: String(to - 2) },
    ]);
    const ofOrg = await h.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM cases WHERE org = $1', [
      org,
    ]);
    expect(ofOrg.rows[0]!.n).toBe('3');
  });
});
