/**
 * When the indexer is stuck, in one pure function shared by /api/health, the chain page and the
 * workers' metrics, so the three never disagree.
 *
 * A stall is the cursor standing still while the chain has blocks it should index (the head
 * follower records the block the cursor waits for only while the cursor is behind the head).
 * Thresholds: a range commits in well under a second live and a few seconds in a backfill, and a
 * worker killed mid-range hands its range on after its 10 s lock; 30 s without progress is
 * therefore already abnormal (degraded: dashboards go stale), 120 s means the indexer will not
 * recover on its own (down: someone must act).
 */
export const STALL_THRESHOLDS = {
  degradedSeconds: 30,
  downSeconds: 120,
} as const;

export interface StallInput {
  /** The block the cursor waits for, or null when it is caught up. */
  waitingForBlock: number | null;
  waitingReason: string | null;
  /** When the cursor last moved. */
  cursorMovedAt: Date | null;
}

export interface Stall {
  status: 'ok' | 'degraded' | 'down';
  /** Seconds the cursor has stood still while behind (0 when caught up). */
  seconds: number;
  waitingForBlock: number | null;
  reason: string | null;
}

export function indexerStall(h: StallInput, now: Date): Stall {
  if (h.waitingForBlock === null || !h.cursorMovedAt) {
    return { status: 'ok', seconds: 0, waitingForBlock: null, reason: null };
  }
  const seconds = Math.max(0, (now.getTime() - h.cursorMovedAt.getTime()) / 1000);
  const status =
    seconds > STALL_THRESHOLDS.downSeconds
      ? 'down'
      : seconds > STALL_THRESHOLDS.degradedSeconds
        ? 'degraded'
        : 'ok';
  return { status, seconds, waitingForBlock: h.waitingForBlock, reason: h.waitingReason };
}
