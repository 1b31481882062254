import type { Db } from '../../db/client';
import type { RuleSettings } from '../../domain/rules';
import { shanghaiDay } from '../../domain/time';
import type { RangeBlocks } from '../indexer/fetch-range';
import { runWindowedDetection } from './detect-windowed';

/**
 * VOLUME_SPIKE while a backfill goes on, instead of after it: the bench's mixed chain spent 20 s
 * after its sync copying 887,400 accesses into the evidence of 400 spikes. After a range commits,
 * one pass (in the background, on another of the pool's connections) covers the days since the
 * last pass up to the day of the range's last block. Days before that one are complete (block
 * times only grow), so their spikes are final; the open day's spikes are final too once found
 * (its records only grow, the median is of earlier days) and each later pass appends the
 * accesses committed since to their evidence, as the live detect job does through a day.
 *
 * One pass at a time, the open day's at most every `openDayEveryMs`. A pass that fails leaves its
 * days to the caller's final pass (`firstUndetectedDay`), which reports the error if it persists.
 */
export class DetectionBehindSync {
  /**
   * The first day whose spikes are not final: the open day of the last pass, which the next pass
   * covers again. Undefined: no pass yet, every day is left.
   */
  private next: string | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Set before a rollback: the next committed range says from which day spikes are gone. */
  private rewind = false;
  /** When the last pass ended (performance.now()), for the open day's pace. */
  private lastPassAt = -Infinity;
  /** Passes completed, and the incidents they created. */
  runs = 0;
  created = 0;

  constructor(
    private readonly p: {
      db: Db;
      chainId: number;
      settings: RuleSettings;
      /** Between two passes that would only follow the open day (default 1 s). */
      openDayEveryMs?: number;
    },
  ) {}

  /**
   * The rollups now hold every event of the blocks `range` spans (a range committed with its sums,
   * or a backfill's carried sums written): a pass over the days since the last, unless one is
   * still going.
   */
  committed(range: Pick<RangeBlocks, 'headers'>): void {
    const first = range.headers[0];
    const last = range.headers[range.headers.length - 1];
    if (!first || !last || this.stopped) return;
    if (this.rewind) {
      // The rollback removed the incidents above its ancestor, i.e. on this range's first day
      // at the earliest (a spike's evidence block is its day's newest access).
      const from = shanghaiDay(first.timestamp);
      if (this.next !== undefined && from < this.next) this.next = from;
      this.rewind = false;
    }
    const toDay = shanghaiDay(last.timestamp);
    if (this.running) return;
    const onlyOpenDay = this.next === toDay;
    if (onlyOpenDay && performance.now() - this.lastPassAt < (this.p.openDayEveryMs ?? 1_000)) return;
    const fromDay = this.next;
    this.running = runWindowedDetection({
      db: this.p.db,
      chainId: this.p.chainId,
      settings: this.p.settings,
      fromDay,
      toDay,
      stalls: false,
    }).then(
      (r) => {
        this.runs += 1;
        this.created += r.volumeSpikes.created;
        // Every day before toDay is done; toDay is open until a later block commits.
        this.next = toDay;
        this.lastPassAt = performance.now();
        this.running = null;
      },
      () => {
        // Left to the final pass, which reports the error if it persists.
        this.stopped = true;
        this.running = null;
      },
    );
  }

  /** Waits for the pass in flight, if any. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Before the chain is rolled back: no pass may see rows the rollback is about to remove. */
  async beforeRollback(): Promise<void> {
    await this.idle();
    this.rewind = true;
  }

  /** Waits for the pass in flight and starts no other; `firstUndetectedDay` is then where a final pass starts. */
  async settle(): Promise<void> {
    await this.idle();
    this.stopped = true;
  }

  /** Undefined: from the first day (nothing detected yet, or a rollback whose extent is unknown). */
  get firstUndetectedDay(): string | undefined {
    return this.rewind ? undefined : this.next;
  }
}
