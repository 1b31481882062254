/**
 * A 32-byte hash as people paste it: with or without `0x`, any case, stray spaces around it.
 * Returns the canonical lower-case `0x…` form, or null when it is not 64 hex digits.
 */
export function normalizeHash(input: string): `0x${string}` | null {
  const s = input.trim();
  const m = /^(?:0[xX])?([0-9a-fA-F]{64})$/.exec(s);
  return m ? `0x${m[1]!.toLowerCase()}` : null;
}
