import { createRng, type Rng } from '../../chain/simulate/prng';

/**
 * The faults of issue 13, each one thing an operator's staging run does to the indexer:
 * - sigkill: one of the two `work` processes SIGKILLed (its range locks stay in Redis until they expire);
 * - sigterm: one stopped with SIGTERM (must exit 0), then started again;
 * - redis-empty: Redis killed and started again with nothing in it;
 * - redis-full: the same, and the new Redis at once holds more range jobs than the planner's
 *   `maxQueued`, all past a gap, so the range continuing the cursor is the one that is missing;
 * - pg-terminate: every indexer backend on the test database terminated;
 * - reorg: the chain's last 1–3 blocks replaced (after the workers indexed them, when they can).
 * A flaky RPC node (503s and 3 s stalls) runs under all of them while the faults last.
 */
export const FAULT_KINDS = [
  'sigkill',
  'sigterm',
  'redis-empty',
  'redis-full',
  'pg-terminate',
  'reorg',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduledFault {
  /** Milliseconds after the run's start. */
  atMs: number;
  kind: FaultKind;
  /** Which worker (sigkill, sigterm). */
  slot: number;
  /** How long the victim stays down: worker restart delay, Redis downtime. */
  downMs: number;
  /** Reorg depth. */
  depth: number;
}

export interface FaultSchedule {
  seed: number;
  faults: ScheduledFault[];
  /** The last fault: the catch-up after it is measured and filed under its kind. */
  closing: FaultKind;
  /** The flaky node's dice for this run. */
  rpcRng: Rng;
}

/**
 * One run's schedule, a function of its seed alone (so `LIANJIAN_FAULT_SEED=<seed>` replays it):
 * 2–4 faults of random kinds at random times in the first `faultMs`, then the closing fault at
 * `faultMs`. The closing kind is FAULT_KINDS[seed mod 6], so six consecutive seeds close once
 * with each kind and every kind's catch-up is measured.
 */
export function drawSchedule(seed: number, faultMs: number): FaultSchedule {
  const rng = createRng(`fault-run-${seed}`);
  const draw = (kind: FaultKind, atMs: number): ScheduledFault => ({
    atMs,
    kind,
    slot: rng.int(0, 1),
    downMs: rng.int(200, 1_000),
    depth: rng.int(1, 3),
  });
  const extra = rng.int(2, 4);
  const faults: ScheduledFault[] = [];
  for (let i = 0; i < extra; i++)
    faults.push(draw(rng.pick(FAULT_KINDS), rng.int(300, Math.max(300, faultMs - 1_000))));
  faults.sort((a, b) => a.atMs - b.atMs);
  const closing = FAULT_KINDS[((seed % FAULT_KINDS.length) + FAULT_KINDS.length) % FAULT_KINDS.length]!;
  faults.push(draw(closing, faultMs));
  return { seed, faults, closing, rpcRng: rng.fork('rpc') };
}
