import { keccak256, stringToHex, type Address, type Hex } from 'viem';

/**
 * Seeded pseudo-random numbers (sfc32). Everything the simulator writes comes from here, never
 * from Math.random or the wall clock, so one seed always yields the same chain.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** 32 random bytes as a 0x-prefixed lower-case hex string. */
  hex32(): Hex;
  /** A new independent stream derived from this seed and a label (same label ⇒ same stream). */
  fork(label: string): Rng;
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function word8(x: number): string {
  return HEX[(x >>> 24) & 255]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!;
}

export function createRng(seed: string): Rng {
  // keccak spreads any seed string (even "1" vs "2") over all 128 bits of sfc32's state.
  const h = keccak256(stringToHex(seed)).slice(2);
  const part = (i: number) => Number.parseInt(h.slice(i * 8, i * 8 + 8), 16);
  const gen = sfc32(part(0), part(1), part(2), part(3));
  for (let i = 0; i < 12; i++) gen(); // warm-up recommended for sfc32
  const next = () => gen() / 4294967296;
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    hex32: () => {
      let s = '0x';
      for (let i = 0; i < 8; i++) s += word8(gen());
      return s as Hex;
    },
    fork: (label) => createRng(`${seed}/${label}`),
  };
}

/** A deterministic address: the last 20 bytes of keccak(seed/label). */
export function deriveAddress(seed: string, label: string): Address {
  return `0x${keccak256(stringToHex(`${seed}/addr/${label}`)).slice(26)}`;
}

/** Geometric-like positive integer with the given mean (≥ 1), for record counts and delays. */
export function positiveWithMean(rng: Rng, mean: number): number {
  if (mean <= 1) return 1;
  return 1 + Math.floor(-Math.log(1 - rng.next()) * (mean - 1));
}
