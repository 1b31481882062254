import { describe, expect, it } from 'vitest';
import { periodChoices, reportErrorKey } from '~/app/(dashboard)/reports/options';

describe('/reports period picker', () => {
  it('offers only complete periods, newest first', () => {
    expect(periodChoices('month', '2026-12-01', 3)).toEqual(['2026-11', '2026-10', '2026-09']);
    expect(periodChoices('month', '2027-01-31', 2)).toEqual(['2026-12', '2026-11']);
    expect(periodChoices('quarter', '2026-12-01', 3)).toEqual(['2026-Q3', '2026-Q2', '2026-Q1']);
    expect(periodChoices('quarter', '2027-01-01', 2)).toEqual(['2026-Q4', '2026-Q3']);
    expect(periodChoices('quarter', '2026-03-31', 1)).toEqual(['2025-Q4']);
    expect(periodChoices('year', '2026-12-31', 2)).toEqual(['2025', '2024']);
    expect(periodChoices('month', '2026-12-01')).toHaveLength(24);
  });

  it('names a refused request by what went wrong, never by the server text', () => {
    const future =
      'period: 2027-03 has not begun yet (today is 2026-12-01 in Asia/Shanghai); choose a period that has begun';
    expect(reportErrorKey(future, 'BAD_REQUEST')).toBe('futurePeriod');
    expect(
      reportErrorKey('[{"code":"invalid_format","path":["period"],"message":"a month"}]', 'BAD_REQUEST'),
    ).toBe('badPeriod');
    expect(reportErrorKey('region: 440000 is outside your scope', 'FORBIDDEN')).toBe('badRegion');
    expect(reportErrorKey('slow down', 'TOO_MANY_REQUESTS')).toBe('rateLimited');
    expect(reportErrorKey('an indexed chain not found', 'NOT_FOUND')).toBe('noChain');
  });
});
