import type { Rng } from '../prng';
import { isOffHours, isWorkingHour, shanghaiDayIndex, shanghaiTime } from '../rhythm';
import type { Timeline } from '../timeline';

/**
 * Picks blocks for injected events: after the setup, away from the two stall blocks (whose first
 * log is CHAIN_STALLED's evidence), preferring active blocks so injected events share their txs'
 * blocks with lawful batches.
 */
export class BlockPicker {
  constructor(
    private readonly tl: Timeline,
    private readonly rng: Rng,
  ) {}

  private ok(k: number): boolean {
    const { tl } = this;
    return k >= 2 * tl.window && k < tl.blockCount && k !== tl.stallAt && k !== tl.stallAt - 1;
  }

  /** A block in [lo, hi] (fractions of the span) whose timestamp satisfies `pred`. */
  pick(pred: (ts: number) => boolean, lo = 0, hi = 1): number {
    const { tl, rng } = this;
    const a = Math.max(2 * tl.window, Math.floor(lo * (tl.blockCount - 1)));
    const b = Math.max(a, Math.floor(hi * (tl.blockCount - 1)));
    for (let i = 0; i < 2_000; i++) {
      const raw = rng.int(a, b);
      const snapped = Math.ceil(raw / tl.window) * tl.window;
      for (const k of [snapped, raw]) if (this.ok(k) && pred(tl.ts(k))) return k;
    }
    throw new Error('no block fits an injected anomaly; use more --days');
  }

  working(lo = 0, hi = 1): number {
    return this.pick(isWorkingHour, lo, hi);
  }

  offHours(): number {
    return this.pick(isOffHours);
  }

  /** A working-hour block strictly after k and at most `maxDays` later, else undefined. */
  workingAfter(k: number, maxDays: number): number | undefined {
    const { tl, rng } = this;
    const hiK = Math.min(tl.blockCount - 1, tl.blockAtOrAfter(tl.ts(k) + maxDays * 86400));
    for (let i = 0; i < 500 && hiK > k; i++) {
      const c = rng.int(k + 1, hiK);
      if (this.ok(c) && isWorkingHour(tl.ts(c))) return c;
    }
    return undefined;
  }

  /** The first block at or after hh:mm Shanghai of a day in the span (e.g. exactly 22:00). */
  atShanghaiTime(hour: number, minute = 0): number {
    const { tl, rng } = this;
    const first = shanghaiDayIndex(tl.ts(2 * tl.window));
    const lastDay = shanghaiDayIndex(tl.ts(tl.blockCount - 1));
    for (let i = 0; i < 200; i++) {
      const k = tl.blockAtOrAfter(shanghaiTime(rng.int(first, lastDay), hour, minute));
      if (this.ok(k) && isOffHours(tl.ts(k)) === isOffHours(shanghaiTime(0, hour, minute))) return k;
    }
    return this.offHours();
  }

  /** A working-hour block on Shanghai day `day`, or undefined when that day has none in the span. */
  workingOnDay(day: number): number | undefined {
    const { tl, rng } = this;
    for (let i = 0; i < 200; i++) {
      const k = tl.blockAtOrAfter(shanghaiTime(day, rng.int(9, 16), rng.int(0, 59)));
      const ts = tl.ts(k);
      if (this.ok(k) && isWorkingHour(ts) && shanghaiDayIndex(ts) === day) return k;
    }
    return undefined;
  }
}
