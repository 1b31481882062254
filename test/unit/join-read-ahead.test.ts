import { describe, expect, it } from 'vitest';
import type { Hash } from 'viem';
import type { BlockHeader } from '~/workers/chain/reader';
import type { ChainEvent } from '~/workers/events/types';
import { joinReadAhead } from '~/workers/indexer/backfill';
import type { FetchedRange } from '~/workers/indexer/fetch-range';

const hashOf = (n: number, fork = 0): Hash => `0x${(n * 16 + fork).toString(16).padStart(64, '0')}`;

function header(n: number, fork = 0): BlockHeader {
  return { number: n, hash: hashOf(n, fork), parentHash: hashOf(n - 1), timestamp: 1_700_000_000 + n };
}

/** A range as fetchRange returns it: its first and last block's headers, one event per block. */
function range(from: number, to: number, bytes: number, firstFork = 0): FetchedRange {
  const headers = from === to ? [header(from, firstFork)] : [header(from, firstFork), header(to)];
  const events = [from, to].map((n) => ({ blockNumber: n, logIndex: 0 }) as unknown as ChainEvent);
  return {
    fromBlock: from,
    toBlock: to,
    headers,
    events,
    malformed: [],
    eventCount: events.length,
    bytes,
    busiestBlockBytes: bytes,
  };
}

describe('ranges read ahead while the schema migrates are written as one', () => {
  it('joins ranges that continue each other while the budget holds, and leaves the rest', () => {
    const ahead = [range(1, 1, 10), range(2, 4, 30), range(5, 12, 60), range(13, 40, 50)];
    const joined = joinReadAhead(ahead, 100)!;
    expect([joined.fromBlock, joined.toBlock, joined.bytes]).toEqual([1, 12, 100]);
    expect(joined.headers.map((h) => h.number)).toEqual([1, 2, 4, 5, 12]);
    expect(joined.events.map((e) => e.blockNumber)).toEqual([1, 1, 2, 4, 5, 12]);
    expect(joined.eventCount).toBe(6);
    expect(ahead.map((r) => r.fromBlock)).toEqual([13]);
    expect(joinReadAhead(ahead, 100)?.toBlock).toBe(40);
    expect(joinReadAhead(ahead, 100)).toBeUndefined();
  });

  it('keeps a range apart whose first block does not follow the last one read (a fork switch)', () => {
    // Block 5 of another fork would name the same parent; here 5's parent is not 4's hash.
    const seamBroken = range(5, 9, 10);
    seamBroken.headers[0] = { ...seamBroken.headers[0]!, parentHash: hashOf(4, 1) };
    const ahead = [range(1, 4, 10), seamBroken];
    expect(joinReadAhead(ahead, 100)?.toBlock).toBe(4);
    expect(ahead).toEqual([seamBroken]);
  });

  it('keeps a range apart that does not start right after the last one', () => {
    const ahead = [range(1, 4, 10), range(6, 9, 10)];
    expect(joinReadAhead(ahead, 100)?.toBlock).toBe(4);
    expect(ahead).toHaveLength(1);
  });
});
