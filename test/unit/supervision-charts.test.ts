import { describe, expect, it } from 'vitest';
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
});
