/**
 * The keys of one kind a first backfill has written (case ids; invoice and certificate hashes), as
 * a Bloom filter, so that a range looks up among the stored rows only the keys that might be there.
 * A case id is unique by design and the first CaseCompleted of an id is the one kept, so each range
 * asked Postgres which of its ids a month already stores: one index probe per partition for every
 * case (≈ 7.4 µs each, ≈ 10 s of Postgres for the 1.36M cases of the simulator's large chain),
 * almost all of them finding nothing. Likewise every InvoiceIssued and CertificateIssued had its
 * new hash looked up before the projection state was applied (1.24M of them there).
 *
 * Only a sync that found the table empty and commits every range itself may trust it: a key the
 * filter says it never saw was never written. A false "might" costs a look-up, never a wrong row,
 * whatever keys a member chooses to emit.
 */

/** 2^25 bits (4 MB): 1.36M keys leave a false "might" about once in 2,000. */
const BITS = 2 ** 25;
/** Positions per key, each from its own eight hex digits of the (keccak-random) key. */
const PROBES = 4;

export class WrittenKeys {
  private readonly words = new Uint32Array(BITS / 32);

  /** False: no range of this sync wrote `key`. */
  mightHold(key: string): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = position(key, i);
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  add(key: string): void {
    for (let i = 0; i < PROBES; i++) {
      const bit = position(key, i);
      this.words[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
}

/**
 * Probe `i` of a `0x` + 64-hex-digit key: its own eight hex digits, read in place (a slice and
 * parseInt per probe were ≈ 1 % of a backfill's main thread: each key meets the filter twice).
 * Any other text still maps somewhere (to 0 from its first character that is not a hex digit).
 */
function position(key: string, i: number): number {
  let v = 0;
  for (let j = 2 + 8 * i, end = j + 8; j < end; j++) {
    const d = hexDigit(key.charCodeAt(j));
    if (d < 0) break;
    v = v * 16 + d;
  }
  return v & (BITS - 1);
}

/** The value of a hex digit's character code, or -1 (NaN, past the end of the text, included). */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
