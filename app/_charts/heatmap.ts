import type { EChartsOption } from 'echarts';
import { formatCount, formatExact, type Lang, escapeHtml } from './format';
import { AXIS_INK, SEQUENTIAL } from './palette';

export interface MatrixCell {
  source: string;
  target: string;
  records: number;
  accesses: number;
}

export interface HeatmapAxes {
  /** Provider keys, x axis, left to right. */
  x: string[];
  /** Consumer keys, y axis, top to bottom: the same keys in the same order as x, so a kind or a
   * region is in the same place on both axes and the diagonal (a kind sharing with itself) runs
   * from the top left to the bottom right. */
  y: string[];
}

/** Every key on either side once, largest total (as provider plus as consumer) first, then by key. */
function byTotal(cells: readonly MatrixCell[]): string[] {
  const t = new Map<string, number>();
  for (const c of cells) {
    t.set(c.source, (t.get(c.source) ?? 0) + c.records);
    t.set(c.target, (t.get(c.target) ?? 0) + c.records);
  }
  return [...t].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

export function heatmapAxes(cells: readonly MatrixCell[]): HeatmapAxes {
  const keys = byTotal(cells);
  return { x: keys, y: [...keys] };
}

/** Provider × consumer matrix (org kinds or regions), coloured by records shared. */
export function buildHeatmapOption(p: {
  cells: readonly MatrixCell[];
  label: (key: string) => string;
  lang: Lang;
  axisNames: { x: string; y: string };
}): EChartsOption {
  const axes = heatmapAxes(p.cells);
  const xi = new Map(axes.x.map((k, i) => [k, i]));
  // First key at the top: ECharts draws category y from the bottom, so reverse.
  const yKeys = [...axes.y].reverse();
  const yi = new Map(yKeys.map((k, i) => [k, i]));
  const data = p.cells.map((c) => [xi.get(c.source) ?? 0, yi.get(c.target) ?? 0, c.records, c.accesses]);
  const max = Math.max(1, ...p.cells.map((c) => c.records));
  const recordsWord = p.lang === 'zh' ? '条记录' : 'records';
  const accessWord = p.lang === 'zh' ? '次访问' : 'accesses';
  return {
    tooltip: {
      confine: true,
      formatter: (raw: unknown) => {
        const v = (raw as { value: number[] }).value;
        const x = axes.x[v[0] ?? 0] ?? '';
        const y = yKeys[v[1] ?? 0] ?? '';
        return `${escapeHtml(p.label(x))} → ${escapeHtml(p.label(y))}<br/>${formatExact(v[2] ?? 0, p.lang)} ${recordsWord} · ${formatExact(v[3] ?? 0, p.lang)} ${accessWord}`;
      },
    },
    grid: { left: 8, right: 16, top: 34, bottom: 64, containLabel: true },
    xAxis: {
      type: 'category',
      name: p.axisNames.x,
      nameLocation: 'middle',
      nameGap: 48,
      data: axes.x.map(p.label),
      axisLabel: { color: AXIS_INK, interval: 0, rotate: axes.x.length > 6 ? 30 : 0 },
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      name: p.axisNames.y,
      data: yKeys.map(p.label),
      axisLabel: { color: AXIS_INK, interval: 0 },
      splitArea: { show: true },
    },
    visualMap: {
      // data is [x, y, records, accesses]: colour by records, not the last dimension.
      dimension: 2,
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: SEQUENTIAL },
      formatter: (v: unknown) => formatCount(Number(v), p.lang),
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: true,
          formatter: (x: unknown) => formatCount((x as { value: number[] }).value[2] ?? 0, p.lang),
          fontSize: 11,
        },
        emphasis: { itemStyle: { borderColor: '#1d2733', borderWidth: 1 } },
      },
    ],
  };
}
