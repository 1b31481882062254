import type { Queue } from 'bullmq';
import type { RangeJobData } from './names';

/**
 * Runs at once the parked range that continues a range just committed. A range that found its
 * predecessor missing parks with a delay of up to 1 s (processors/ranges.ts); without this, a chain
 * of parked ranges (after a Redis loss refilled the queue past a gap, or a killed worker's range
 * came back late) would commit one per park delay instead of back to back. Best effort: the park
 * delay still wakes it if this fails or races with the job's own wake-up.
 */
export async function wakeSuccessor(
  ranges: Queue<RangeJobData>,
  chainId: number,
  nextBlock: number,
): Promise<number> {
  let woken = 0;
  for (const job of await ranges.getDelayed(0, -1)) {
    if (job?.data?.chainId !== chainId || job.data.fromBlock !== nextBlock) continue;
    try {
      await job.promote();
      woken += 1;
    } catch {
      // No longer delayed: it woke by itself or another worker promoted it.
    }
  }
  return woken;
}
