import type { RangeJobData } from './names';

/**
 * Whether the block just before `fromBlock` is in a range some worker is running now. Only then
 * is it worth a range's slot to wait for its predecessor to commit: otherwise the predecessor is
 * missing, queued behind it or far off, and waiting would hold back the slot the predecessor
 * itself needs — e.g. a Redis restarted with a dozen ranges past a gap, each holding a slot for
 * its whole wait while the range continuing the cursor sits in the queue.
 */
export function predecessorRunning(
  active: readonly ({ data?: RangeJobData } | undefined)[],
  chainId: number,
  fromBlock: number,
): boolean {
  const before = fromBlock - 1;
  return active.some(
    (j) => j?.data?.chainId === chainId && j.data.fromBlock <= before && j.data.toBlock >= before,
  );
}
