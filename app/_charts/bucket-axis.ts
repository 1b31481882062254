import { escapeHtml, formatExact, type Lang } from './format';

/**
 * The time-bucket axis shared by the bar, line and supervision charts: bucket labels, the bucket
 * still running (drawn pale or hollow so it does not read as a finished period) and the axis
 * tooltip that names it. One home, so the chart builders import it instead of each other.
 */

/** Short bucket label: 03-14 for days and weeks, 2026-03 for months. */
export function bucketLabel(bucket: string, granularity: 'day' | 'week' | 'month'): string {
  return granularity === 'month' ? bucket.slice(0, 7) : bucket.slice(5);
}

/** The bar drawn for a bucket still running: pale fill, dashed outline in the series' colour. */
export function partialBarStyle(color: string) {
  return { opacity: 0.35, borderColor: color, borderType: 'dashed' as const, borderWidth: 1.5 };
}

/** Values as bar data, the one at `cut` drawn as running (see partialBarStyle). */
export function partialBars(
  values: number[],
  cut: number,
  color: string,
): (number | { value: number; itemStyle: ReturnType<typeof partialBarStyle> })[] {
  return values.map((v, i) => (i === cut ? { value: v, itemStyle: partialBarStyle(color) } : v));
}

/** Values as line data, the point at `cut` (the running bucket) drawn hollow. */
export function hollowPoints(
  values: number[],
  cut: number,
  symbolSize: number,
): (number | { value: number; symbol: 'emptyCircle'; symbolSize: number })[] {
  return values.map((v, i) => (i === cut ? { value: v, symbol: 'emptyCircle' as const, symbolSize } : v));
}

interface AxisParam {
  axisValueLabel?: string;
  seriesName?: string;
  name?: string;
  marker?: string;
  value?: unknown;
  dataIndex?: number;
}

/**
 * An axis tooltip whose rows carry a second name (`hints`, by series or category name), and for
 * the running bucket (`partial.index`) a closing line saying the figures are to date.
 */
export function hintedAxisTooltip(
  params: unknown,
  hints: Map<string, string | undefined>,
  lang: Lang,
  partial: { index: number; note?: string } | null = null,
): string {
  const rows = (Array.isArray(params) ? params : [params]) as AxisParam[];
  const head = escapeHtml(rows[0]?.axisValueLabel ?? '');
  const note =
    partial && partial.note && rows[0]?.dataIndex === partial.index
      ? [`<span style="color:#8a94a3">${escapeHtml(partial.note)}</span>`]
      : [];
  return [
    head,
    ...rows.map((r) => {
      const name = r.seriesName && hints.has(r.seriesName) ? r.seriesName : (r.name ?? '');
      const hint = hints.get(name);
      const label = hint
        ? `${escapeHtml(name)} <span style="color:#8a94a3">${escapeHtml(hint)}</span>`
        : escapeHtml(name);
      const v =
        r.value !== null && typeof r.value === 'object' ? (r.value as { value?: unknown }).value : r.value;
      return `${r.marker ?? ''}${label}&nbsp;&nbsp;<b>${formatExact(Number(v), lang)}</b>`;
    }),
    ...note,
  ].join('<br/>');
}
