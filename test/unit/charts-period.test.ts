import { describe, expect, it } from 'vitest';
import { bucketOf, bucketsBetween, granularityFor, resolvePeriod } from '../../server/services/period';

describe('period: the server picks the range and granularity', () => {
  it('the default period ends at the latest indexed day, not today', () => {
    expect(resolvePeriod({}, '2031-02-10')).toMatchObject({
      from: '2031-01-12',
      to: '2031-02-10',
      days: 30,
      prevFrom: '2030-12-13',
      prevTo: '2031-01-11',
      granularity: 'day',
    });
  });
  it('month and quarter start at the calendar boundary of the anchor', () => {
    expect(resolvePeriod({ period: 'month' }, '2026-03-14')).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-14',
      prevTo: '2026-02-28',
    });
    expect(resolvePeriod({ period: 'quarter' }, '2026-08-02')).toMatchObject({
      from: '2026-07-01',
      to: '2026-08-02',
    });
  });
  it('explicit from/to wins; bad ranges are refused', () => {
    expect(resolvePeriod({ from: '2026-01-01', to: '2026-12-31' }, '2020-01-01')).toMatchObject({
      days: 365,
      granularity: 'week',
    });
    expect(() => resolvePeriod({ from: '2026-02-01', to: '2026-01-01' }, 'x')).toThrow(/after/);
    expect(() => resolvePeriod({ from: '2026-02-01' }, 'x')).toThrow(/together/);
    expect(() => resolvePeriod({ from: '2020-01-01', to: '2026-01-01' }, 'x')).toThrow(/at most/);
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
