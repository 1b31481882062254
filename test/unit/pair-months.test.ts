import { describe, expect, it } from 'vitest';
import { monthBounds, monthMasks } from '../../server/services/pair-months';

describe('flow_pair_monthly period arithmetic', () => {
  it('sets the day bits of every month a period touches, across a year end and a leap day', () => {
    expect([...monthMasks('2026-11-29', '2027-01-02')]).toEqual([
      ['2026-11', (1 << 28) | (1 << 29)],
      ['2026-12', 2 ** 31 - 1],
      ['2027-01', 0b11],
    ]);
    expect(monthMasks('2028-02-28', '2028-03-01').get('2028-02')).toBe((1 << 27) | (1 << 28));
    expect(monthMasks('2026-11-25', '2026-11-25')).toEqual(new Map([['2026-11', 1 << 24]]));
  });

  it('bounds each month by the period, whole months running to element 31', () => {
    expect([...monthBounds('2026-10-27', '2026-12-03')]).toEqual([
      ['2026-10', { lo: 27, hi: 31 }],
      ['2026-11', { lo: 1, hi: 31 }],
      ['2026-12', { lo: 1, hi: 3 }],
    ]);
    expect([...monthBounds('2026-11-05', '2026-11-05')]).toEqual([['2026-11', { lo: 5, hi: 5 }]]);
  });
});
