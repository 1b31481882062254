import { describe, expect, it } from 'vitest';
import { observeDensity, requestBlocks, UNKNOWN_DENSITY } from '~/workers/indexer/backfill';

const MB = 1024 * 1024;

describe('blocks per eth_getLogs request in a backfill', () => {
  it('with nothing known, a range is read in 64 parts', () => {
    expect(requestBlocks(6400, UNKNOWN_DENSITY)).toBe(100);
    expect(requestBlocks(10, UNKNOWN_DENSITY)).toBe(1);
  });

  it('on a chain of even density, about 2 MB of answer per request', () => {
    // The bench's sparse chain: ≈ 9 KB a block, every block alike.
    expect(requestBlocks(5000, { bytesPerBlock: 9_000, busiestBlockBytes: 9_500, at: 1 })).toBe(233);
  });

  it('after a quiet stretch, no more blocks than 4 MB of the busiest block seen lately', () => {
    // The large chain at night (50 KB blocks) after a day of 5 MB blocks: one block a request,
    // not the 20 whose morning answer was 45–55 MB.
    expect(requestBlocks(300, { bytesPerBlock: 50_000, busiestBlockBytes: 5 * MB, at: 1 })).toBe(1);
    expect(requestBlocks(300, { bytesPerBlock: 50_000, busiestBlockBytes: 800_000, at: 1 })).toBe(5);
  });

  it('a block larger than a whole request is still asked for alone', () => {
    expect(requestBlocks(50, { bytesPerBlock: 13 * MB, busiestBlockBytes: 13 * MB, at: 1 })).toBe(1);
  });

  it("a day's busy blocks bound the night after it; a set-up block stops bounding a sparse chain", () => {
    const DAY = 86_400;
    const T0 = 1_790_000_000;
    const range = (from: number, to: number, perBlock: number, busiest: number, endTime: number) => ({
      fromBlock: from,
      toBlock: to,
      headers: [{ number: to, hash: '0x01', parentHash: '0x00', timestamp: endTime }] as never,
      bytes: (to - from + 1) * perBlock,
      busiestBlockBytes: busiest,
    });
    // The large chain: a day of 5 MB blocks, then eight hours of night at 50 KB a block.
    const day = observeDensity(UNKNOWN_DENSITY, range(1, 100, 4 * MB, 5 * MB, T0));
    const night = observeDensity(day, range(101, 148, 50_000, 60_000, T0 + DAY / 3));
    expect(night.busiestBlockBytes).toBeCloseTo(5 * MB * 2 ** (-1 / 3), 0);
    // Eight hours on, the day's busiest block still counts for 4 MB: one block a request.
    expect(requestBlocks(300, night)).toBe(1);
    // The sparse bench chain: a 600 KB set-up block, then ranges of 1,600 blocks of 9 KB, six
    // days of block time each.
    let d = observeDensity(UNKNOWN_DENSITY, range(1, 3, 233_000, 600_000, T0));
    expect(requestBlocks(1600, d)).toBe(6);
    d = observeDensity(d, range(4, 1603, 9_000, 9_500, T0 + 6 * DAY));
    expect(requestBlocks(1600, d)).toBe(233);
  });
});
