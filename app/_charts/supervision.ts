import type { EChartsOption } from 'echarts';
import { AXIS_INK, GRID_LINE, SERIES_COLORS } from './palette';

/** Weekly supervision trend: hand-overs as bars, closures on time and late as lines. */
export function buildCaseTrendOption(p: {
  weeks: string[];
  handedOver: number[];
  onTime: number[];
  late: number[];
  names: { handedOver: string; onTime: string; late: string };
}): EChartsOption {
  return {
    tooltip: { trigger: 'axis', confine: true },
    legend: { top: 0, data: [p.names.handedOver, p.names.onTime, p.names.late] },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: p.weeks.map((w) => w.slice(5)), axisLabel: { color: AXIS_INK } },
    yAxis: {
      type: 'value',
      minInterval: 1,
      axisLabel: { color: AXIS_INK },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      {
        type: 'bar',
        name: p.names.handedOver,
        data: p.handedOver,
        itemStyle: { color: SERIES_COLORS[0] ?? '#2f6db5' },
      },
      { type: 'line', name: p.names.onTime, data: p.onTime, itemStyle: { color: '#2e8b57' } },
      { type: 'line', name: p.names.late, data: p.late, itemStyle: { color: '#c0392b' } },
    ],
  };
}

/** Totals per region of the incidents by region and rule (optionally one rule only), for the tile map. */
export function regionTotals(
  rows: readonly { region: number; rule: string; n: number }[],
  rule: string | null,
): { code: number; value: number }[] {
  const m = new Map<number, number>();
  for (const r of rows) if (rule === null || r.rule === rule) m.set(r.region, (m.get(r.region) ?? 0) + r.n);
  return [...m].sort((a, b) => a[0] - b[0]).map(([code, value]) => ({ code, value }));
}

/** Per-rule weekly series (zero-filled) from (week, rule, n) rows. */
export function ruleSeries(
  weeks: readonly string[],
  rows: readonly { week: string; rule: string; n: number }[],
): { rule: string; values: number[] }[] {
  const rules = [...new Set(rows.map((r) => r.rule))].sort();
  return rules.map((rule) => ({
    rule,
    values: weeks.map((w) =>
      rows.filter((r) => r.rule === rule && r.week === w).reduce((s, r) => s + r.n, 0),
    ),
  }));
}
