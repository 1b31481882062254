import { describe, expect, it } from 'vitest';
import { normalizeHash } from '../../domain/hash-input';

const H = 'ab'.repeat(32);

describe('normalizeHash', () => {
  it.each([H, `0x${H}`, `0X${H.toUpperCase()}`, `  ${H}\n`, H.toUpperCase()])('accepts %j', (s) => {
    expect(normalizeHash(s)).toBe(`0x${H}`);
  });

  it.each(['', '0x', H.slice(2), `${H}00`, `0x${H.slice(1)}g`, `00${H}`, `0x 0x${H}`])('refuses %j', (s) => {
    expect(normalizeHash(s)).toBeNull();
  });
});
