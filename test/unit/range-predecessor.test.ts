import { describe, expect, it } from 'vitest';
import { predecessorRunning } from '../../workers/queues/predecessor';

const job = (chainId: number, fromBlock: number, toBlock: number) => ({
  data: { chainId, fromBlock, toBlock },
});

describe('predecessorRunning', () => {
  it('is true only when a running range of the same chain holds the block just before', () => {
    const active = [job(1, 100, 120), undefined, job(2, 121, 130)];
    expect(predecessorRunning(active, 1, 121)).toBe(true);
    // Inside the running range too (a re-planned, overlapping successor).
    expect(predecessorRunning(active, 1, 110)).toBe(true);
    // The running range starts at this block: it is not a predecessor.
    expect(predecessorRunning(active, 1, 100)).toBe(false);
    // A gap between the running range and this one: the predecessor is missing or queued.
    expect(predecessorRunning(active, 1, 125)).toBe(false);
    // Another chain's range never counts.
    expect(predecessorRunning(active, 1, 131)).toBe(false);
    expect(predecessorRunning([], 1, 121)).toBe(false);
  });
});
