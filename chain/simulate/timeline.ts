/**
 * Block k of the simulation has timestamp start + k·I, except that blocks from `stallAt` on are
 * shifted by `stallExtra` seconds: the one injected CHAIN_STALLED gap between blocks stallAt-1 and
 * stallAt is I + stallExtra (> 10·I).
 */
export interface Timeline {
  start: number;
  interval: number;
  /** Number of simulated blocks: k runs over 0 … blockCount-1. */
  blockCount: number;
  stallAt: number;
  stallExtra: number;
  /** Activity lands on every `window`-th block (k = window, 2·window, …); block 0 is the setup. */
  window: number;
  ts(k: number): number;
  /** The first block whose timestamp is ≥ t (may be ≥ blockCount when t is past the end). */
  blockAtOrAfter(t: number): number;
}

export function createTimeline(p: {
  start: number;
  interval: number;
  days: number;
  window: number;
}): Timeline {
  const { start, interval } = p;
  const stallExtra = 19 * interval; // gap 20·I: well past the 10·I threshold, not ambiguous
  const blockCount = Math.max(8, Math.floor((p.days * 86400 - stallExtra) / interval) + 1);
  // Mid-span, on the block after an active one, so neither stall block carries a heavy batch.
  let stallAt = Math.floor(blockCount * 0.6);
  if (stallAt % p.window === 0) stallAt += 1;
  if (stallAt >= blockCount) stallAt = blockCount - 1;
  const ts = (k: number) => start + k * interval + (k >= stallAt ? stallExtra : 0);
  return {
    start,
    interval,
    blockCount,
    stallAt,
    stallExtra,
    window: p.window,
    ts,
    blockAtOrAfter(t: number): number {
      const before = Math.ceil((t - start) / interval);
      if (before < stallAt) return Math.max(0, before);
      return Math.max(stallAt, Math.ceil((t - start - stallExtra) / interval));
    },
  };
}

/** How the simulated span is placed relative to the chain head and wall-clock now. */
export interface Placement {
  start: number;
  /** Empty blocks to mine at interval I before the span, so the head is followed without a gap. */
  bridgeBlocks: number;
  /** True when the head was too far back to bridge: the first simulated block follows a real stall. */
  leadingStall: boolean;
}

/**
 * Simulated history ends at the present, never after it: the span's last block is at most `now`
 * (a chain whose blocks run ahead of the wall clock shows accesses "in the future" and a lag of
 * zero). When the head is far enough back, the span starts at the latest interval step at or
 * before now − days, the gap from the head bridged with empty blocks at interval I (or, when too
 * many, left as one stall that the ground truth records). A head already within `days` of now
 * (or ahead of it) cannot be gone back on: the span then starts one interval after the head, so
 * two fresh anvils with the same genesis time give identical chains, and the caller says so.
 */
export function placeSpan(p: {
  headTimestamp: number;
  now: number;
  days: number;
  interval: number;
  maxBridgeBlocks: number;
}): Placement {
  const latestStart = p.now - p.days * 86400;
  const steps = Math.floor((latestStart - p.headTimestamp) / p.interval);
  if (steps < 1) return { start: p.headTimestamp + p.interval, bridgeBlocks: 0, leadingStall: false };
  const bridgeBlocks = steps - 1;
  if (bridgeBlocks <= p.maxBridgeBlocks) {
    return { start: p.headTimestamp + steps * p.interval, bridgeBlocks, leadingStall: false };
  }
  return { start: latestStart, bridgeBlocks: 0, leadingStall: true };
}
