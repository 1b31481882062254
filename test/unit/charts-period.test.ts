import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsBetween, granularityFor, resolvePeriod } from '../../server/services/period';

describe('period: the server picks the range and granularity', () => {
  /** A pinned server clock: 10:00 in Shanghai on `day`. */
  const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

  it('the default period ends at the latest indexed day, not today', () => {
    expect(resolvePeriod({ now: at('2031-03-01') }, '2031-02-10')).toMatchObject({
      from: '2031-01-12',
      to: '2031-02-10',
      days: 30,
      prevFrom: '2030-12-13',
      prevTo: '2031-01-11',
      granularity: 'day',
      partial: false,
    });
  });
  it('a chain whose blocks run ahead of the clock does not move the period into the future', () => {
    expect(resolvePeriod({ now: at('2026-12-01') }, '2026-12-02')).toMatchObject({
      from: '2026-11-02',
      to: '2026-12-01',
      partial: true,
    });
  });
  it('month and quarter to date compare with the same days of the previous month and quarter', () => {
    expect(resolvePeriod({ period: 'month', now: at('2026-03-14') }, '2026-03-14')).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-14',
      prevFrom: '2026-02-01',
      prevTo: '2026-02-14',
      partial: true,
    });
    expect(resolvePeriod({ period: 'quarter', now: at('2026-08-02') }, '2026-08-02')).toMatchObject({
      from: '2026-07-01',
      to: '2026-08-02',
      prevFrom: '2026-04-01',
      prevTo: '2026-05-03',
    });
    // The 1st: one day against the 1st of the previous month (not against all of it).
    expect(resolvePeriod({ period: 'month', now: at('2026-12-01') }, '2026-12-01')).toMatchObject({
      from: '2026-12-01',
      to: '2026-12-01',
      prevFrom: '2026-11-01',
      prevTo: '2026-11-01',
    });
    // 31 December, 31 March of a leap year, 1 January: the previous month is cut at its own end.
    expect(resolvePeriod({ period: 'month', now: at('2026-12-31') }, '2026-12-31')).toMatchObject({
      prevFrom: '2026-11-01',
      prevTo: '2026-11-30',
    });
    expect(resolvePeriod({ period: 'month', now: at('2028-03-31') }, '2028-03-31')).toMatchObject({
      prevFrom: '2028-02-01',
      prevTo: '2028-02-29',
    });
    expect(resolvePeriod({ period: 'month', now: at('2027-01-01') }, '2027-01-01')).toMatchObject({
      prevFrom: '2026-12-01',
      prevTo: '2026-12-01',
    });
    // A month that has ended is complete.
    expect(resolvePeriod({ period: 'month', now: at('2026-04-02') }, '2026-03-31')).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-31',
      prevTo: '2026-02-28',
      partial: false,
    });
  });
  it('explicit from/to wins; bad ranges and days to come are refused', () => {
    expect(
      resolvePeriod({ from: '2026-01-01', to: '2026-12-31', now: at('2027-01-01') }, '2020-01-01'),
    ).toMatchObject({
      days: 365,
      granularity: 'week',
    });
    const now = at('2026-12-01');
    expect(() => resolvePeriod({ from: '2026-02-01', to: '2026-01-01', now }, 'x')).toThrow(/after/);
    expect(() => resolvePeriod({ from: '2026-02-01', now }, 'x')).toThrow(/together/);
    expect(() => resolvePeriod({ from: '2020-01-01', to: '2026-01-01', now }, 'x')).toThrow(/at most/);
    expect(() => resolvePeriod({ from: '2026-11-01', to: '2026-12-31', now }, 'x')).toThrow(
      'to: 2026-12-31 is after today (2026-12-01); choose days up to today',
    );
    expect(resolvePeriod({ from: '2026-11-01', to: '2026-12-01', now }, 'x').partial).toBe(true);
  });
  it('granularity: day up to a quarter, week up to a year, then month', () => {
    expect([granularityFor(92), granularityFor(93), granularityFor(366), granularityFor(367)]).toEqual([
      'day',
      'week',
      'week',
      'month',
    ]);
  });
  it('buckets: ISO weeks start on Monday, months on the 1st, every bucket listed', () => {
    expect(bucketOf('2026-03-15', 'week')).toBe('2026-03-09'); // a Sunday
    expect(bucketOf('2026-03-15', 'month')).toBe('2026-03-01');
    expect(bucketsBetween('2026-11-20', '2027-02-03', 'month')).toEqual([
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
      '2027-02-01',
    ]);
    expect(bucketsBetween('2026-03-01', '2026-03-03', 'day')).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
    ]);
  });
});
