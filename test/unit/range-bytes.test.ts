import { describe, expect, it } from 'vitest';
import type { RawLog } from '~/workers/events/raw-log';
import { BACKFILL_RANGE_BYTES } from '~/workers/indexer/backfill';
import { answerBytes } from '~/workers/indexer/fetch-range';
import { RangeSizer } from '~/workers/indexer/range-size';

/** A log whose data holds `words` 32-byte words, with `topics` topics. */
function log(words: number, topics = 4): RawLog {
  const word = `${'0'.repeat(62)}2a`;
  return {
    address: `0x${'11'.repeat(20)}`,
    topics: Array.from({ length: topics }, () => `0x${'ab'.repeat(32)}` as const),
    data: `0x${word.repeat(words)}`,
    blockNumber: '0x1',
    blockHash: `0x${'cd'.repeat(32)}`,
    transactionHash: `0x${'ef'.repeat(32)}`,
    transactionIndex: '0x0',
    logIndex: '0x0',
  };
}

/** Blocks per range the sizer settles on for a chain of `perBlock` such logs in every block. */
function settledSpan(target: number, perBlock: RawLog[]): number {
  const sizer = new RangeSizer(target, 1, 1_000_000);
  const bytesPerBlock = answerBytes(perBlock);
  for (let i = 0; i < 40; i++) {
    const span = sizer.next();
    sizer.observe(span, span * bytesPerBlock);
  }
  return sizer.next();
}

describe('backfill ranges sized by the bytes of the node answer, not by events', () => {
  it('weighs a log by its JSON: fixed fields, 69 bytes a topic and its data', () => {
    expect(answerBytes([log(4)])).toBe(420 + (2 + 4 * 64) + 4 * 69);
    expect(answerBytes([log(4), log(40, 1)])).toBe(420 + 258 + 276 + 420 + (2 + 40 * 64) + 69);
    expect(answerBytes([])).toBe(0);
  });

  it('gives a chain of heavy logs as many bytes per range as a chain of light ones, so fewer events', () => {
    const target = BACKFILL_RANGE_BYTES;
    const light = Array.from({ length: 500 }, () => log(4));
    const heavy = Array.from({ length: 500 }, () => log(64));
    const lightSpan = settledSpan(target, light);
    const heavySpan = settledSpan(target, heavy);
    // Within one block of the target either way.
    expect(Math.abs(lightSpan * answerBytes(light) - target)).toBeLessThanOrEqual(answerBytes(light));
    expect(Math.abs(heavySpan * answerBytes(heavy) - target)).toBeLessThanOrEqual(answerBytes(heavy));
    expect(lightSpan * 500).toBeGreaterThan(15_000); // ≈ 16,000 DataAccessed a range
    expect(heavySpan * 500).toBeLessThan((lightSpan * 500) / 4);
  });
});
