import type { EChartsOption } from 'echarts';
import { bucketLabel, hintedAxisTooltip, partialBars } from './bucket-axis';
import { formatCount, formatExact, type Lang } from './format';
import type { Named } from './lines';
import { AXIS_INK, GRID_LINE, SERIES_COLORS } from './palette';

/** Stacked bars per time bucket, e.g. events per contract per day. */
export function buildStackedBarsOption(p: {
  buckets: string[];
  granularity: 'day' | 'week' | 'month';
  series: Named[];
  lang: Lang;
  /**
   * The bucket still running (today, this week), from the server: drawn pale with a dashed
   * outline, its axis label marked with `partialMark` and its tooltip carrying `partialNote`.
   */
  partialBucket?: string | null;
  /** Appended to the running bucket's axis label, e.g. "（未完）". */
  partialMark?: string;
  /** A line in the running bucket's tooltip, e.g. "截至目前，尚未结束". */
  partialNote?: string;
}): EChartsOption {
  const hints = new Map(p.series.map((s) => [s.name, s.hint]));
  const colors = p.series.map((s, i) => s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] ?? '#2f6db5');
  const cut = p.partialBucket ? p.buckets.indexOf(p.partialBucket) : -1;
  const hinted = hints.size > 0 && [...hints.values()].some(Boolean);
  return {
    color: colors,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      valueFormatter: (v: unknown) => formatExact(Number(v), p.lang),
      ...(hinted || cut >= 0
        ? {
            formatter: (params: unknown) =>
              hintedAxisTooltip(params, hints, p.lang, cut >= 0 ? { index: cut, note: p.partialNote } : null),
          }
        : {}),
    },
    legend: { top: 0, type: 'plain', itemGap: 8, data: p.series.map((s) => s.name) },
    grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: p.buckets.map((b, i) =>
        i === cut ? `${bucketLabel(b, p.granularity)}${p.partialMark ?? '*'}` : bucketLabel(b, p.granularity),
      ),
      axisLabel: { color: AXIS_INK },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: AXIS_INK, formatter: (v: number) => formatCount(v, p.lang) },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: p.series.map((s, k) => ({
      type: 'bar',
      name: s.name,
      stack: 'total',
      data: cut < 0 ? s.values : partialBars(s.values, cut, colors[k] ?? '#2f6db5'),
      barMaxWidth: 28,
      emphasis: { focus: 'series' },
    })),
  };
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
