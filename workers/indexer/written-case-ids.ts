/**
 * The case ids a first backfill has written, as a Bloom filter, so that a range's cases are looked
 * up among the stored ones only when they might be there. A case id is unique by design and the
 * first CaseCompleted of an id is the one kept, so each range asked Postgres which of its ids a month
 * already stores: one index probe per partition for every case (≈ 7.4 µs each, ≈ 10 s of Postgres
 * for the 1.36M cases of the simulator's large chain), almost all of them finding nothing.
 *
 * Only a sync that found `cases` empty and commits every range itself may trust it: an id the
 * filter says it never saw was never written. A false "might" costs a look-up, never a wrong row,
 * whatever ids a member chooses to emit.
 */

/** 2^25 bits (4 MB): 1.36M ids leave a false "might" about once in 2,000. */
const BITS = 2 ** 25;
/** Positions per id, each from its own eight hex digits of the (keccak-random) id. */
const PROBES = 4;

export class WrittenCaseIds {
  private readonly words = new Uint32Array(BITS / 32);

  /** False: no range of this sync wrote `id`. */
  mightHold(id: string): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = position(id, i);
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  add(id: string): void {
    for (let i = 0; i < PROBES; i++) {
      const bit = position(id, i);
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
}

/** Probe `i` of a `0x` + 64-hex-digit id; any other text still maps somewhere (to 0 at worst). */
function position(id: string, i: number): number {
  const v = Number.parseInt(id.slice(2 + 8 * i, 10 + 8 * i), 16);
  return (Number.isNaN(v) ? 0 : v) & (BITS - 1);
}
