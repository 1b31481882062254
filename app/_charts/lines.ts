import type { EChartsOption } from 'echarts';
import { bucketLabel, hintedAxisTooltip, hollowPoints } from './bucket-axis';
import { formatCount, formatExact, formatPercent, type Lang } from './format';
import { AXIS_INK, GRID_LINE, MODE_COLORS, SERIES_COLORS } from './palette';

export interface Named {
  name: string;
  values: number[];
  color?: string;
  /** A second name for the tooltip (e.g. the contract's Solidity name beside its Chinese one). */
  hint?: string;
}

const axisLabel = { color: AXIS_INK };
const splitLine = { lineStyle: { color: GRID_LINE } };

/** Stacked areas over time: accesses (or records) per access mode, incidents per rule. */
export function buildStackedSeriesOption(p: {
  buckets: string[];
  granularity: 'day' | 'week' | 'month';
  series: Named[];
  lang: Lang;
  /**
   * The bucket still running (e.g. this week): its axis label carries `mark`, its points are
   * hollow and its tooltip says `note`, so it does not read as a finished period.
   */
  partial?: { bucket: string; mark: string; note: string } | null;
}): EChartsOption {
  const cut = p.partial ? p.buckets.indexOf(p.partial.bucket) : -1;
  const note = cut >= 0 && p.partial ? p.partial.note : null;
  return {
    color: p.series.map((s, i) => s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] ?? '#2f6db5'),
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: unknown) => formatExact(Number(v), p.lang),
      ...(note !== null
        ? {
            formatter: (params: unknown) =>
              hintedAxisTooltip(params, new Map(), p.lang, { index: cut, note }),
          }
        : {}),
    },
    legend: { top: 0, data: p.series.map((s) => s.name) },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: p.buckets.map((b, i) =>
        i === cut && p.partial
          ? `${bucketLabel(b, p.granularity)}${p.partial.mark}`
          : bucketLabel(b, p.granularity),
      ),
      axisLabel,
    },
    yAxis: {
      type: 'value',
      axisLabel: { ...axisLabel, formatter: (v: number) => formatCount(v, p.lang) },
      splitLine,
    },
    series: p.series.map((s) => ({
      type: 'line',
      name: s.name,
      stack: 'total',
      areaStyle: { opacity: 0.55 },
      symbol: 'none',
      smooth: 0.2,
      lineStyle: { width: 1.5 },
      emphasis: { focus: 'series' },
      data: cut < 0 ? s.values : hollowPoints(s.values, cut, 7),
    })),
  };
}

export function modeColor(mode: number): string {
  return MODE_COLORS[mode] ?? '#5b7083';
}

/** A KPI card's sparkline: a line without axes, the period's shape at a glance. */
export function buildSparklineOption(values: number[], color = '#2f6db5'): EChartsOption {
  return {
    animation: false,
    grid: { left: 1, right: 1, top: 2, bottom: 2 },
    xAxis: { type: 'category', show: false, boundaryGap: false, data: values.map((_, i) => i) },
    yAxis: { type: 'value', show: false, min: 0 },
    series: [
      {
        type: 'line',
        data: values,
        symbol: 'none',
        lineStyle: { width: 1.5, color },
        areaStyle: { color, opacity: 0.12 },
        silent: true,
      },
    ],
  };
}

/**
 * Fewest cases behind the share drawn for the incomplete last month. On the first days of a month a
 * city has one or two cases, whose share reads 100 % or 0 % — a jump or a collapse that is only
 * chance; below this many the month-to-date point is left out (its axis label still says partial),
 * at every level alike (provinces of the nation, cities of a province).
 */
export const PARTIAL_MIN_CASES = 30;

/**
 * The online share (online / cases) per region and month of an adoption trend: NaN where a month
 * has no cases, and for the partial month when it rests on fewer than PARTIAL_MIN_CASES cases.
 */
export function monthlyShareSeries(d: {
  buckets: string[];
  regions: number[];
  points: { bucket: string; regionCode: number; cases: number; online: number }[];
  partialBucket: string | null;
}): { regionCode: number; values: number[] }[] {
  const at = new Map(d.points.map((p) => [`${p.regionCode}|${p.bucket}`, p]));
  return d.regions.map((regionCode) => ({
    regionCode,
    values: d.buckets.map((b) => {
      const p = at.get(`${regionCode}|${b}`);
      if (!p || p.cases <= 0) return NaN;
      if (b === d.partialBucket && p.cases < PARTIAL_MIN_CASES) return NaN;
      return p.online / p.cases;
    }),
  }));
}

/** One line per region of a share (0–1) over months, e.g. 网办率. */
export function buildShareLinesOption(p: {
  buckets: string[];
  series: Named[];
  lang: Lang;
  /** Extra tooltip text per series and bucket index, e.g. the case count behind a share. */
  detail?: (series: number, index: number) => string;
  /**
   * The incomplete last month (from the server), drawn apart: a hollow point reached by a dashed
   * line, its axis label marked, so a month of one day never reads as a whole month.
   */
  partialBucket?: string | null;
  /** Appended to the partial month's axis label, e.g. "（未完）". */
  partialMark?: string;
}): EChartsOption {
  const cut = p.partialBucket ? p.buckets.indexOf(p.partialBucket) : -1;
  const clean = (v: number) => (Number.isFinite(v) ? v : null);
  const whole = (values: number[]) => values.map((v, i) => (i === cut ? null : clean(v)));
  // The dashed tail: the last whole point and the partial one, nothing else.
  const tail = (values: number[]) => {
    let prev = cut - 1;
    while (prev >= 0 && !Number.isFinite(values[prev] ?? NaN)) prev--;
    return values.map((v, i) => (i === cut || i === prev ? clean(v) : null));
  };
  return {
    color: SERIES_COLORS,
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : formatPercent(Number(v))),
    },
    legend: { top: 0, type: 'scroll', data: p.series.map((s) => s.name) },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: p.buckets.map((b, i) => (i === cut ? `${b.slice(0, 7)}${p.partialMark ?? '*'}` : b.slice(0, 7))),
      axisLabel,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      axisLabel: { ...axisLabel, formatter: (v: number) => formatPercent(v, 0) },
      splitLine,
    },
    series: p.series.flatMap((s, k) => {
      const color = SERIES_COLORS[k % SERIES_COLORS.length];
      const main = {
        type: 'line' as const,
        name: s.name,
        data: cut < 0 ? s.values.map(clean) : whole(s.values),
        connectNulls: true,
        showSymbol: true,
        showAllSymbol: true,
        symbolSize: 8,
        itemStyle: { color },
        emphasis: { focus: 'series' as const },
      };
      if (cut < 0) return [main];
      return [
        main,
        {
          type: 'line' as const,
          name: s.name,
          data: tail(s.values),
          connectNulls: true,
          symbol: 'emptyCircle',
          symbolSize: 8,
          itemStyle: { color, opacity: 0.7 },
          lineStyle: { type: 'dashed' as const, color },
          emphasis: { focus: 'series' as const },
        },
      ];
    }),
  };
}
