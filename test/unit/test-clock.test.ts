import { describe, expect, it } from 'vitest';
import { addDays } from '../../server/services/period';
import { firstWholeMonth, lastDayOf } from '../helpers/clock';

/** The reports world needs one whole month inside 62 days, from any first day of any year. */
describe('test clock: first whole month', () => {
  const awkward = [
    '2026-12-01',
    '2026-12-31',
    '2028-02-29',
    '2027-07-02',
    '2027-01-31',
    '2026-10-08',
    '2027-02-28',
  ];
  it.each(awkward)('a span of 62 days from %s holds the first whole month', (first) => {
    const month = firstWholeMonth(first);
    expect(`${month}-01` >= first).toBe(true);
    expect(lastDayOf(month) <= addDays(first, 61)).toBe(true);
  });

  it('names the month itself when the span starts on its 1st, else the next one', () => {
    expect(firstWholeMonth('2026-12-01')).toBe('2026-12');
    expect(firstWholeMonth('2026-12-02')).toBe('2027-01');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(lastDayOf('2027-02')).toBe('2027-02-28');
  });
});
