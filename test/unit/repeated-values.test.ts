import { describe, expect, it } from 'vitest';
import { LastValue, RepeatedValues } from '~/workers/events/repeated-values';

describe('RepeatedValues', () => {
  it('answers what was remembered, and starts over once it holds its limit', () => {
    const v = new RepeatedValues<number>(3);
    expect(v.get('a')).toBeUndefined();
    expect(v.remember('a', 1)).toBe(1);
    v.remember('b', 2);
    v.remember('c', 3);
    expect([v.get('a'), v.get('b'), v.get('c')]).toEqual([1, 2, 3]);
    // Full: the fourth value empties it first.
    v.remember('d', 4);
    expect([v.get('a'), v.get('b'), v.get('c'), v.get('d')]).toEqual([undefined, undefined, undefined, 4]);
  });
});

describe('LastValue', () => {
  it('reads a text once while it repeats, and again after another', () => {
    const reads: string[] = [];
    const last = new LastValue<string>();
    const read = (raw: string) => {
      reads.push(raw);
      return raw.toLowerCase();
    };
    expect(['0xAB', '0xAB', '0xCD', '0xAB'].map((raw) => last.of(raw, read))).toEqual([
      '0xab',
      '0xab',
      '0xcd',
      '0xab',
    ]);
    expect(reads).toEqual(['0xAB', '0xCD', '0xAB']);
  });

  it('passes a read that throws on, and remembers nothing from it', () => {
    const last = new LastValue<string>();
    const fail = (): string => {
      throw new TypeError('not a string');
    };
    expect(() => last.of('x', fail)).toThrow(TypeError);
    expect(last.of('x', (raw) => raw.toUpperCase())).toBe('X');
  });
});
