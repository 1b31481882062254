import { describe, expect, it } from 'vitest';
import { classifyProgress, paceSpan, parseTargetMetric } from '../../domain/targets';
import { parseTargetsCsv } from '../../server/targets/csv';

/** All dates are fixed: the figures stand at asOf, never at today's date. */
const asOf = '2026-09-30';

describe('targets: progress classification at a pinned day', () => {
  it('reached when the current value meets the target; projected date is the day measured', () => {
    expect(
      classifyProgress({
        metric: 'online_share',
        target: 0.8,
        targetDate: '2026-12-31',
        asOf,
        current: 0.8,
        paceBase: 0.7,
        paceDays: 90,
      }),
    ).toMatchObject({ status: 'reached', ratio: 1, projectedDate: asOf });
  });

  it('a level metric on course: (0.80 − 0.71) at +0.1 point a day lands 90 days on, before the date', () => {
    const p = classifyProgress({
      metric: 'online_share',
      target: 0.8,
      targetDate: '2026-12-31',
      asOf,
      current: 0.71,
      paceBase: 0.62, // 90 days earlier: +0.09 over 90 days = 0.001 a day
      paceDays: 90,
    });
    expect(p.status).toBe('on_course');
    expect(p.pacePerDay).toBeCloseTo(0.001, 12);
    expect(p.projectedDate).toBe('2026-12-29'); // ceil(0.09 / 0.001) = 90 days after 09-30
  });

  it('the same pace with a nearer date is behind; a falling value never projects', () => {
    const base = { metric: 'online_share', target: 0.8, asOf, current: 0.71, paceDays: 90 } as const;
    expect(classifyProgress({ ...base, targetDate: '2026-12-01', paceBase: 0.62 })).toMatchObject({
      status: 'behind',
      projectedDate: '2026-12-29',
    });
    expect(classifyProgress({ ...base, targetDate: '2027-12-31', paceBase: 0.75 })).toMatchObject({
      status: 'behind',
      projectedDate: null,
    });
  });

  it('a cumulative metric projects from the pace of the last days', () => {
    // 9,000 joint cases this year, 3,000 in the last 90 days (33.3 a day): 3,000 to go takes 90 days.
    const p = classifyProgress({
      metric: 'joint_cases',
      target: 12_000,
      targetDate: '2026-12-31',
      asOf,
      current: 9_000,
      paceBase: 3_000,
      paceDays: 90,
    });
    expect(p).toMatchObject({ status: 'on_course', gap: 3_000, projectedDate: '2026-12-29', ratio: 0.75 });
  });

  it('a cumulative target of next year accumulates from its 1 January', () => {
    const p = classifyProgress({
      metric: 'sharing_volume',
      target: 9_000,
      targetDate: '2027-06-30',
      asOf,
      current: 0,
      paceBase: 4_500, // 50 a day → 180 days from 2027-01-01 (day 1 is 01-01)
      paceDays: 90,
    });
    expect(p).toMatchObject({ status: 'on_course', projectedDate: '2027-06-29' });
  });

  it('no value is behind with nothing projected; no pace without enough data', () => {
    expect(
      classifyProgress({
        metric: 'active_orgs',
        target: 10,
        targetDate: '2026-12-31',
        asOf,
        current: null,
        paceBase: null,
        paceDays: null,
      }),
    ).toMatchObject({ status: 'behind', ratio: null, projectedDate: null });
    expect([paceSpan('level', 59), paceSpan('level', 60), paceSpan('level', 400)]).toEqual([null, 30, 90]);
    expect([paceSpan('cumulative', 29), paceSpan('cumulative', 62)]).toEqual([null, 62]);
  });
});

describe('targets: the CSV', () => {
  it('reads ids, Chinese names, percent and fractions; BOM and blank lines are fine', async () => {
    const rows = await parseTargetsCsv(
      '\uFEFFregion,metric,value,date\r\n440000,网办率,85%,2026-12-31\r\n\r\n440100,joint_cases,"12,000",2026-12-31\n330000,fully_online_items,0.6,2027-06-30\n',
    );
    expect(rows).toEqual([
      { regionCode: 440000, metric: 'online_share', value: 0.85, targetDate: '2026-12-31' },
      { regionCode: 440100, metric: 'joint_cases', value: 12000, targetDate: '2026-12-31' },
      { regionCode: 330000, metric: 'fully_online_items', value: 0.6, targetDate: '2027-06-30' },
    ]);
    expect(parseTargetMetric('联办')).toBe('joint_cases');
  });

  it('names every bad line and loads nothing', async () => {
    await expect(
      parseTargetsCsv(
        'region,metric,value,date\n0,网办率,0.9,2026-12-31\n440000,speed,1,2026-12-31\n440000,网办率,180%,2026-12-31\n440000,联办,1.5,2026-02-30\n',
      ),
    ).rejects.toThrow(
      /line 2: region "0": .*nation.*; line 3: unknown metric "speed"; line 4: value "180%" .*; line 5: value "1.5"/,
    );
    await expect(parseTargetsCsv('a,b\n')).rejects.toThrow(/header/);
  });
});
