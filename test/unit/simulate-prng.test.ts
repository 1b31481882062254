import { describe, expect, it } from 'vitest';
import { createRng, deriveAddress, positiveWithMean } from '../../chain/simulate/prng';

describe('simulate prng', () => {
  it('repeats the same stream for the same seed and differs for another seed', () => {
    const take = (seed: string) => {
      const r = createRng(seed);
      return [r.next(), r.int(1, 6), r.hex32(), r.pick(['a', 'b', 'c'])];
    };
    expect(take('alpha')).toEqual(take('alpha'));
    expect(take('alpha')).not.toEqual(take('beta'));
  });

  it('forks independent streams that are themselves reproducible', () => {
    const r = createRng('s');
    const f1 = r.fork('orgs').hex32();
    expect(createRng('s').fork('orgs').hex32()).toBe(f1);
    expect(r.fork('grants').hex32()).not.toBe(f1);
  });

  it('keeps values in range and near uniform', () => {
    const r = createRng('range');
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) {
      const v = r.int(1, 6);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(6);
      counts[v - 1]!++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const h = r.hex32();
    expect(h).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('derives lower-case addresses from the seed only', () => {
    const a = deriveAddress('seed', 'dept-440100-1');
    expect(a).toMatch(/^0x[0-9a-f]{40}$/);
    expect(deriveAddress('seed', 'dept-440100-1')).toBe(a);
    expect(deriveAddress('other', 'dept-440100-1')).not.toBe(a);
  });

  it('draws positive counts with about the requested mean', () => {
    const r = createRng('mean');
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = positiveWithMean(r, 10);
      expect(v).toBeGreaterThanOrEqual(1);
      sum += v;
    }
    expect(sum / 20_000).toBeGreaterThan(9);
    expect(sum / 20_000).toBeLessThan(11);
    expect(positiveWithMean(r, 1)).toBe(1);
  });
});
