import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerQueues, type IndexerQueues } from '../../workers/queues/indexer-queues';
import { rangeJobId } from '../../workers/queues/names';
import { wakeSuccessor } from '../../workers/queues/wake-successor';
import { testQueuePrefix } from '../helpers/db';

let connection: Redis;
let queues: IndexerQueues;

beforeAll(() => {
  connection = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: null,
  });
  queues = createIndexerQueues({ connection, prefix: testQueuePrefix(), log: () => {} });
});

afterAll(async () => {
  await queues.ranges.obliterate({ force: true });
  await Promise.all([queues.ranges.close(), queues.head.close(), queues.detect.close()]);
  await connection.quit();
});

describe('wakeSuccessor', () => {
  it('promotes only the parked range that starts at the next block of its chain', async () => {
    const park = { delay: 60_000 };
    const add = (chainId: number, from: number, to: number) =>
      queues.ranges.add(
        'range',
        { chainId, fromBlock: from, toBlock: to },
        { ...park, jobId: rangeJobId(chainId, from, to) },
      );
    await add(1, 11, 20);
    await add(1, 21, 30);
    await add(2, 11, 20);

    expect(await wakeSuccessor(queues.ranges, 1, 11)).toBe(1);

    expect(await queues.ranges.getJobState(rangeJobId(1, 11, 20))).toBe('waiting');
    expect(await queues.ranges.getJobState(rangeJobId(1, 21, 30))).toBe('delayed');
    expect(await queues.ranges.getJobState(rangeJobId(2, 11, 20))).toBe('delayed');
    // Nothing parked continues block 31: nothing to wake, no error.
    expect(await wakeSuccessor(queues.ranges, 1, 31)).toBe(0);
  });
});
