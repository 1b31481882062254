import type { EChartsOption } from 'echarts';
import { escapeHtml, formatCount, formatExact, type Lang } from './format';
import { AXIS_INK, GRID_LINE, SERIES_COLORS } from './palette';
import { bucketLabel, type Named } from './lines';

/** Stacked bars per time bucket, e.g. events per contract per day. */
export function buildStackedBarsOption(p: {
  buckets: string[];
  granularity: 'day' | 'week' | 'month';
  series: Named[];
  lang: Lang;
}): EChartsOption {
  const hints = new Map(p.series.map((s) => [s.name, s.hint]));
  return {
    color: p.series.map((s, i) => s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] ?? '#2f6db5'),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      valueFormatter: (v: unknown) => formatExact(Number(v), p.lang),
      ...(hints.size > 0 && [...hints.values()].some(Boolean)
        ? { formatter: (params: unknown) => hintedAxisTooltip(params, hints, p.lang) }
        : {}),
    },
    legend: { top: 0, type: 'plain', itemGap: 8, data: p.series.map((s) => s.name) },
    grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: p.buckets.map((b) => bucketLabel(b, p.granularity)),
      axisLabel: { color: AXIS_INK },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: AXIS_INK, formatter: (v: number) => formatCount(v, p.lang) },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: p.series.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: 'total',
      data: s.values,
      barMaxWidth: 28,
      emphasis: { focus: 'series' },
    })),
  };
}

interface AxisParam {
  axisValueLabel?: string;
  seriesName?: string;
  name?: string;
  marker?: string;
  value?: unknown;
}

/** An axis tooltip whose rows carry a second name (`hints`, by series or category name). */
function hintedAxisTooltip(params: unknown, hints: Map<string, string | undefined>, lang: Lang): string {
  const rows = (Array.isArray(params) ? params : [params]) as AxisParam[];
  const head = escapeHtml(rows[0]?.axisValueLabel ?? '');
  return [
    head,
    ...rows.map((r) => {
      const name = r.seriesName && hints.has(r.seriesName) ? r.seriesName : (r.name ?? '');
      const hint = hints.get(name);
      const label = hint
        ? `${escapeHtml(name)} <span style="color:#8a94a3">${escapeHtml(hint)}</span>`
        : escapeHtml(name);
      return `${r.marker ?? ''}${label}&nbsp;&nbsp;<b>${formatExact(Number(r.value), lang)}</b>`;
    }),
  ].join('<br/>');
}

/** Horizontal bars, largest on top: totals per event name or per region. */
export function buildRankBarsOption(p: {
  items: { label: string; value: number; hint?: string }[];
  lang: Lang;
  color?: string;
}): EChartsOption {
  const items = [...p.items].sort((a, b) => a.value - b.value);
  const hints = new Map(items.filter((i) => i.hint).map((i) => [i.label, i.hint]));
  return {
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      valueFormatter: (v: unknown) => formatExact(Number(v), p.lang),
      ...(hints.size > 0 ? { formatter: (params: unknown) => hintedAxisTooltip(params, hints, p.lang) } : {}),
    },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      axisLabel: { color: AXIS_INK, formatter: (v: number) => formatCount(v, p.lang) },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    yAxis: { type: 'category', data: items.map((i) => i.label), axisLabel: { color: AXIS_INK } },
    series: [
      {
        type: 'bar',
        data: items.map((i) => i.value),
        itemStyle: { color: p.color ?? '#2f6db5' },
        barMaxWidth: 18,
        label: {
          show: true,
          position: 'right',
          formatter: (x: unknown) => formatCount(Number((x as { value: number }).value), p.lang),
        },
      },
    ],
  };
}
