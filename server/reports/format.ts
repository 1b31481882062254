/**
 * Number formatting of the report (Chinese). Pure and locale-fixed so a regenerated report is
 * byte-identical: shares as percent with one decimal, counts with thousands separators.
 */
export function pct(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

export function count(n: number | null): string {
  if (n === null) return '—';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Minutes as 分钟 / 小时 / 天, whichever reads best. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 60) return `${Math.round(minutes)} 分钟`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} 小时`;
  return `${(minutes / 1440).toFixed(1)} 天`;
}

export function hours(h: number | null): string {
  return h === null ? '—' : duration(h * 60);
}

/** '2026-11-25' → '2026年11月25日' */
export function dayZh(day: string): string {
  return `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

/** Relative change in percent (one decimal), or null when there is nothing to compare with. */
export function relativeChange(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;
  return ((value - previous) / previous) * 100;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
