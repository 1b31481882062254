import { describe, expect, it } from 'vitest';
import type { Hash } from 'viem';
import { createRng } from '~/chain/simulate/prng';
import type { BlockHeader, ChainReader } from '~/workers/chain/reader';
import type { RawLog } from '~/workers/events/raw-log';
import { fetchRange, InconsistentChainError } from '~/workers/indexer/fetch-range';
import { ctx, randomLog } from '../helpers/random-logs';

/*
 * fetchRange decodes each sub-range as soon as its headers are in (its raw logs are then garbage)
 * and the range's last block once its header is read at the end. Whatever the sub-range size and
 * concurrency, the result must be the one of a single request; a node that lies fails the range.
 */

const BLOCKS = 40;
const hashOf = (n: number, fork = 0): Hash => `0x${(n * 16 + fork).toString(16).padStart(64, '0')}`;

function header(n: number): BlockHeader {
  return { number: n, hash: hashOf(n), parentHash: hashOf(n - 1), timestamp: 1_790_000_000 + n * 600 };
}

/** A chain of BLOCKS blocks, 0–5 random valid logs each (none in some), from a printed seed. */
function chainLogs(seed: string): RawLog[] {
  const rng = createRng(seed);
  const logs: RawLog[] = [];
  for (let n = 1; n <= BLOCKS; n++) {
    const count = rng.int(0, 5);
    for (let i = 0; i < count; i++) {
      const { log } = randomLog(rng, i);
      logs.push({ ...log, blockNumber: `0x${n.toString(16)}`, blockHash: hashOf(n) });
    }
  }
  return logs;
}

/** A node over `logs`; `lie` may change a sub-range's answer or a header. */
function fakeNode(
  logs: RawLog[],
  lie: {
    logs?: (a: number, b: number, out: RawLog[]) => RawLog[];
    header?: (n: number) => BlockHeader | null;
  } = {},
): ChainReader {
  return {
    getChainId: () => Promise.resolve(ctx.chainId),
    getHead: () => Promise.resolve(header(BLOCKS)),
    getHeaders: (numbers) =>
      Promise.resolve(
        new Map(
          numbers.flatMap((n) => {
            const h = lie.header ? lie.header(n) : header(n);
            return h ? [[n, h] as const] : [];
          }),
        ),
      ),
    getLogs: (a, b) => {
      const out = logs.filter((l) => Number(l.blockNumber) >= a && Number(l.blockNumber) <= b);
      return Promise.resolve(lie.logs ? lie.logs(a, b, out) : out);
    },
  };
}

const decodeCtx = { chainId: ctx.chainId, contractsByAddress: ctx.contractsByAddress };

describe('fetchRange in sub-ranges', () => {
  it('gives the events, headers and count of one request, whatever the sub-range size and concurrency', async () => {
    const seed = 'fetch-range';
    console.log(`seed ${seed}`);
    const logs = chainLogs(seed);
    const rng = createRng(`${seed}-plan`);
    const whole = await fetchRange(fakeNode(logs), decodeCtx, 1, BLOCKS);
    expect(whole.eventCount).toBe(logs.length);
    expect(whole.events.map((e) => e.blockTime)).toEqual(
      whole.events.map((e) => header(e.blockNumber).timestamp),
    );
    for (let round = 0; round < 20; round++) {
      const chunkBlocks = rng.int(1, 12);
      const concurrency = rng.int(1, 3);
      const parts = await fetchRange(fakeNode(logs), decodeCtx, 1, BLOCKS, { chunkBlocks, concurrency });
      expect({ chunkBlocks, concurrency, range: parts }).toEqual({ chunkBlocks, concurrency, range: whole });
    }
  });

  it('a log outside the sub-range it was asked for fails the range', async () => {
    const logs = chainLogs('fetch-range-outside');
    const stray = logs.find((l) => Number(l.blockNumber) === 12)!;
    const node = fakeNode(logs, { logs: (a, b, out) => (a === 1 ? [...out, stray] : out) });
    await expect(fetchRange(node, decodeCtx, 1, BLOCKS, { chunkBlocks: 10 })).rejects.toThrow(
      new InconsistentChainError('eth_getLogs 1-10 returned a log of block 12'),
    );
  });

  it("a log of the range's last block naming another hash than its header fails the range", async () => {
    const logs = chainLogs('fetch-range-last');
    const last = logs.filter((l) => Number(l.blockNumber) === BLOCKS);
    expect(last.length).toBeGreaterThan(0);
    // The header read before the logs and the one read after agree; the logs name a fork's block.
    const node = fakeNode(
      logs.map((l) => (Number(l.blockNumber) === BLOCKS ? { ...l, blockHash: hashOf(BLOCKS, 1) } : l)),
    );
    await expect(fetchRange(node, decodeCtx, 1, BLOCKS, { chunkBlocks: 7 })).rejects.toThrow(
      `of block ${BLOCKS} names block hash ${hashOf(BLOCKS, 1)}, header says ${hashOf(BLOCKS)}`,
    );
  });

  it('logs of the last block without its header fail the range, none is dropped', async () => {
    const logs = chainLogs('fetch-range-last');
    let calls = 0;
    // The first read of the last header (before the logs) answers; the one after does not.
    const node = fakeNode(logs, { header: (n) => (n === BLOCKS && calls++ > 0 ? null : header(n)) });
    await expect(fetchRange(node, decodeCtx, 1, BLOCKS, { chunkBlocks: 7 })).rejects.toThrow(
      InconsistentChainError,
    );
  });
});
