import { describe, expect, it } from 'vitest';
import { buildStackedSeriesOption } from '../../app/_charts/lines';
import { buildCaseTrendOption, regionTotals, ruleSeries } from '../../app/_charts/supervision';

describe('supervision chart builders', () => {
  const rows = [
    { region: 330000, rule: 'CROSS_PROVINCE_SENSITIVE', n: 2 },
    { region: 440000, rule: 'ACCESS_WITHOUT_GRANT', n: 2 },
    { region: 440000, rule: 'MODE_NOT_GRANTED', n: 1 },
  ];
  it('sums incidents per region, for all rules or one', () => {
    expect(regionTotals(rows, null)).toEqual([
      { code: 330000, value: 2 },
      { code: 440000, value: 3 },
    ]);
    expect(regionTotals(rows, 'MODE_NOT_GRANTED')).toEqual([{ code: 440000, value: 1 }]);
  });
  it('zero-fills weekly series per rule, rules in order', () => {
    expect(
      ruleSeries(
        ['2025-10-06', '2025-10-13'],
        [
          { week: '2025-10-13', rule: 'B', n: 2 },
          { week: '2025-10-06', rule: 'A', n: 1 },
        ],
      ),
    ).toEqual([
      { rule: 'A', values: [1, 0] },
      { rule: 'B', values: [0, 2] },
    ]);
  });
  it('builds bars for hand-overs and lines for closures', () => {
    const o = buildCaseTrendOption({
      weeks: ['2025-10-06', '2025-10-13'],
      handedOver: [2, 4],
      onTime: [1, 1],
      late: [0, 1],
      names: { handedOver: '交办', onTime: '按期办结', late: '逾期办结' },
    });
    expect(o.xAxis).toMatchObject({ data: ['10-06', '10-13'] });
    expect((o.series as { type: string; data: number[] }[]).map((s) => [s.type, s.data])).toEqual([
      ['bar', [2, 4]],
      ['line', [1, 1]],
      ['line', [0, 1]],
    ]);
  });
  it('draws the week still running as to date: marked label, pale bar, hollow points, tooltip note', () => {
    const o = buildCaseTrendOption({
      weeks: ['2026-11-23', '2026-11-30'],
      handedOver: [3, 1],
      onTime: [2, 0],
      late: [1, 0],
      names: { handedOver: '交办', onTime: '按期办结', late: '逾期办结' },
      partialWeek: '2026-11-30',
      partialMark: '（未完）',
      partialNote: '本周尚未结束，为截至目前的数字',
    });
    expect(o.xAxis).toMatchObject({ data: ['11-23', '11-30（未完）'] });
    const s = o.series as { data: unknown[] }[];
    expect(s[0]!.data[0]).toBe(3);
    expect(s[0]!.data[1]).toMatchObject({ value: 1, itemStyle: { opacity: 0.35, borderType: 'dashed' } });
    expect(s[1]!.data).toEqual([2, { value: 0, symbol: 'emptyCircle', symbolSize: 8 }]);
    const fmt = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    const at = (i: number) => [
      { axisValueLabel: i ? '11-30（未完）' : '11-23', seriesName: '交办', value: 1, dataIndex: i },
    ];
    expect(fmt(at(1))).toContain('本周尚未结束，为截至目前的数字');
    expect(fmt(at(0))).not.toContain('尚未结束');
  });
  it('draws the running week of the incident trend as to date: marked label, hollow points, tooltip note', () => {
    const o = buildStackedSeriesOption({
      buckets: ['2026-11-23', '2026-11-30'],
      granularity: 'week',
      series: [{ name: '无授权访问', values: [4, 2] }],
      lang: 'zh',
      partial: { bucket: '2026-11-30', mark: '（未完）', note: '本周尚未结束，为截至目前的数字' },
    });
    expect(o.xAxis).toMatchObject({ data: ['11-23', '11-30（未完）'] });
    expect((o.series as { data: unknown[] }[])[0]!.data).toEqual([
      4,
      { value: 2, symbol: 'emptyCircle', symbolSize: 7 },
    ]);
    const fmt = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    const at = (i: number) => [
      { axisValueLabel: i ? '11-30（未完）' : '11-23', seriesName: '无授权访问', value: 2, dataIndex: i },
    ];
    expect(fmt(at(1))).toContain('本周尚未结束，为截至目前的数字');
    expect(fmt(at(0))).not.toContain('尚未结束');
    // Without a running bucket nothing is marked.
    const whole = buildStackedSeriesOption({
      buckets: ['2026-11-23'],
      granularity: 'week',
      series: [{ name: 'x', values: [1] }],
      lang: 'zh',
    });
    expect(whole.xAxis).toMatchObject({ data: ['11-23'] });
    expect((whole.tooltip as { formatter?: unknown }).formatter).toBeUndefined();
  });
});
