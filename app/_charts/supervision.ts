import type { EChartsOption } from 'echarts';
import { bucketLabel, hintedAxisTooltip, hollowPoints, partialBars } from './bucket-axis';
import type { Lang } from './format';
import { AXIS_INK, GRID_LINE, SERIES_COLORS } from './palette';

/** Weekly supervision trend: hand-overs as bars, closures on time and late as lines. */
export function buildCaseTrendOption(p: {
  weeks: string[];
  handedOver: number[];
  onTime: number[];
  late: number[];
  names: { handedOver: string; onTime: string; late: string };
  lang?: Lang;
  /**
   * The week still running (from the server): its bar pale with a dashed outline, its points
   * hollow, its axis label marked with `partialMark` and its tooltip carrying `partialNote`.
   */
  partialWeek?: string | null;
  /** Appended to the running week's axis label, e.g. "（未完）". */
  partialMark?: string;
  /** A line in the running week's tooltip, e.g. "本周尚未结束，数字截至目前". */
  partialNote?: string;
}): EChartsOption {
  const cut = p.partialWeek ? p.weeks.indexOf(p.partialWeek) : -1;
  const barColor = SERIES_COLORS[0] ?? '#2f6db5';
  return {
    tooltip: {
      trigger: 'axis',
      confine: true,
      ...(cut >= 0
        ? {
            formatter: (params: unknown) =>
              hintedAxisTooltip(params, new Map(), p.lang ?? 'zh', { index: cut, note: p.partialNote }),
          }
        : {}),
    },
    legend: { top: 0, data: [p.names.handedOver, p.names.onTime, p.names.late] },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: p.weeks.map((w, i) =>
        i === cut ? `${bucketLabel(w, 'week')}${p.partialMark ?? '*'}` : bucketLabel(w, 'week'),
      ),
      axisLabel: { color: AXIS_INK },
    },
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
        data: cut < 0 ? p.handedOver : partialBars(p.handedOver, cut, barColor),
        itemStyle: { color: barColor },
      },
      {
        type: 'line',
        name: p.names.onTime,
        data: cut < 0 ? p.onTime : hollowPoints(p.onTime, cut, 8),
        itemStyle: { color: '#2e8b57' },
      },
      {
        type: 'line',
        name: p.names.late,
        data: cut < 0 ? p.late : hollowPoints(p.late, cut, 8),
        itemStyle: { color: '#c0392b' },
      },
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
