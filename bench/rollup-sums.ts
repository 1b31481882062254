import { createRng } from '~/chain/simulate/prng';
import { KeyNumbering, RollupAccumulator, type AccessSums } from '~/workers/rollups/accumulator';

/** A pair that accesses: what its accesses are summed by. */
type Pair = Omit<AccessSums, 'recordCount' | 'mode'>;

const hex = (n: number, width: number): `0x${string}` => `0x${n.toString(16).padStart(width, '0')}`;

/**
 * The rollup sums of a backfill as the large chain makes them (fixed seed): 14,000 pairs of
 * dataset and accessor, 170,000 accesses a day in ranges of 10,000 (3 days; 10 in the full run), each range's sums merged into the carried
 * ones and a day's sums split off once the day is over. Accesses per second, with the process's
 * one numbering (as the indexer runs) and with a numbering per accumulator (each range's keys
 * built anew, and again at every merge), and the ratio.
 */
export function runRollupSumsBench({ quick }: { quick: boolean }): Record<string, number> {
  const days = quick ? 3 : 10;
  const perDay = 170_000;
  const perRange = 10_000;
  const rng = createRng('bench-rollup-sums');
  const orgs = Array.from({ length: 600 }, (_, i) => hex(i + 1, 40));
  const pairs: Pair[] = Array.from({ length: 14_000 }, (_, i) => {
    const owner = rng.pick(orgs);
    return {
      owner,
      accessor: rng.pick(orgs),
      datasetId: hex(i % 4_000, 64),
      category: rng.int(1, 8),
      sensitivity: rng.int(1, 3),
      ownerRegion: 440100 + (orgs.indexOf(owner) % 20),
      accessorRegion: 440100 + rng.int(0, 19),
    };
  });
  // The same accesses for either run, drawn once (the indexer sums its typed rows as they are).
  const draws: AccessSums[] = Array.from({ length: perDay }, () => ({
    ...pairs[rng.int(0, pairs.length - 1)]!,
    mode: rng.int(1, 4),
    recordCount: rng.int(1, 500),
  }));
  const run = (numbering: () => KeyNumbering | undefined): number => {
    const started = performance.now();
    const carried = new RollupAccumulator(numbering());
    let written = 0;
    for (let d = 0; d < days; d++) {
      const day = `2026-10-${String(d + 1).padStart(2, '0')}`;
      for (let at = 0; at < perDay; at += perRange) {
        const range = new RollupAccumulator(numbering());
        for (let i = at; i < Math.min(perDay, at + perRange); i++) {
          range.addAccess(day, draws[i]!);
        }
        carried.merge(range);
      }
      if (d > 0) written += carried.takeDays(new Set([`2026-10-${String(d).padStart(2, '0')}`])).size;
    }
    written += carried.size;
    if (written === 0) throw new Error('no sums');
    return performance.now() - started;
  };
  const accesses = days * perDay;
  run(() => undefined); // warm-up: let the JIT settle
  const shared = run(() => undefined);
  const apart = run(() => new KeyNumbering());
  return {
    rollup_sums_accesses: accesses,
    rollup_sums_shared_numbering_per_s: Math.round((accesses / shared) * 1000),
    rollup_sums_numbering_per_range_per_s: Math.round((accesses / apart) * 1000),
    rollup_sums_speedup: Math.round((apart / shared) * 100) / 100,
  };
}
