/**
 * Number formats of the dashboard. Chinese readers count large numbers in 万 (10⁴) and 亿 (10⁸);
 * English readers get thousands separators and K/M. Exact values stay available for tooltips.
 */
import type { Lang } from '~/domain/format';

export type { Lang };

export function formatExact(n: number, lang: Lang = 'zh'): string {
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 });
}

export function formatCount(n: number, lang: Lang = 'zh'): string {
  const a = Math.abs(n);
  const trim = (x: number, d: number) => x.toFixed(d).replace(/\.?0+$/, '');
  if (lang === 'zh') {
    if (a >= 1e8) return `${trim(n / 1e8, 2)}亿`;
    if (a >= 1e5) return `${trim(n / 1e4, 1)}万`;
    return formatExact(n, lang);
  }
  if (a >= 1e9) return `${trim(n / 1e9, 2)}B`;
  if (a >= 1e6) return `${trim(n / 1e6, 2)}M`;
  return formatExact(n, lang);
}

export function formatPercent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

/** Relative change of `current` against `previous`; null when there is nothing to compare with. */
export function relativeChange(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / previous;
}

export function formatChange(
  current: number,
  previous: number,
): { text: string; dir: 'up' | 'down' | 'flat' } {
  const c = relativeChange(current, previous);
  if (c === null) return { text: 'new', dir: 'up' };
  if (Math.abs(c) < 0.0005) return { text: '0.0%', dir: 'flat' };
  return { text: `${c > 0 ? '+' : ''}${(c * 100).toFixed(1)}%`, dir: c > 0 ? 'up' : 'down' };
}

/**
 * A rate's change in percentage points (个百分点), as the reports say it: 31 % → 54 % is
 * "+23.0 个百分点", not "+74.2 %" (a relative change of a rate misleads).
 */
export function formatPointChange(
  current: number,
  previous: number,
  lang: Lang = 'zh',
): { text: string; dir: 'up' | 'down' | 'flat' } {
  const d = (current - previous) * 100;
  const unit = lang === 'zh' ? ' 个百分点' : ' pp';
  if (Math.abs(d) < 0.05) return { text: `0.0${unit}`, dir: 'flat' };
  return { text: `${d > 0 ? '+' : ''}${d.toFixed(1)}${unit}`, dir: d > 0 ? 'up' : 'down' };
}

/** Seconds as the reader thinks of them: 2.00 秒, 3.5 分钟, 8.0 天. */
export function formatDuration(seconds: number, lang: Lang = 'zh'): string {
  const u =
    lang === 'zh' ? { s: ' 秒', m: ' 分钟', h: ' 小时', d: ' 天' } : { s: ' s', m: ' min', h: ' h', d: ' d' };
  // One decimal at most, none when whole: 20 小时, not 72000 秒 or 20.0 小时.
  const n = (x: number) => String(Math.round(x * 10) / 10);
  if (seconds < 60) return `${n(seconds)}${u.s}`;
  if (seconds < 3600) return `${n(seconds / 60)}${u.m}`;
  if (seconds < 86_400) return `${n(seconds / 3600)}${u.h}`;
  return `${n(seconds / 86_400)}${u.d}`;
}

/**
 * An indexing rate (events per second, averaged over the last 60 s) at a precision that shows
 * movement: from 1 a second up with one decimal; below that per minute, which is the exact count
 * of the last 60 s (0.1 a second read "0.0 事件/秒" and looked stalled). The caller names the unit.
 */
export function formatEventRate(
  perSecond: number,
  lang: Lang = 'zh',
): { display: string; per: 'second' | 'minute' } {
  if (perSecond >= 1) return { display: formatExact(Math.round(perSecond * 10) / 10, lang), per: 'second' };
  return { display: formatExact(Math.round(perSecond * 60 * 10) / 10, lang), per: 'minute' };
}

/**
 * ECharts renders tooltip formatter results as HTML. Every string from the chain (org and dataset
 * names are whatever a consortium member registered) goes through this before it is interpolated.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The change of a KPI against the previous period, in the unit its kind calls for: a count
 * changes relatively (+12.5%), a share (0–1) in percentage points (+23.0 个百分点 / pp) — a
 * relative change of a rate (31 % → 54 % as "+74.2 %") misreads as the rate itself.
 */
export function formatMetricChange(
  kind: 'count' | 'share',
  current: number,
  previous: number,
  lang: Lang = 'zh',
): { text: string; dir: 'up' | 'down' | 'flat' } {
  return kind === 'share' ? formatPointChange(current, previous, lang) : formatChange(current, previous);
}

/** A KPI's value as its tooltip states it: a share as a percentage (54.0%), a count exactly. */
export function formatMetricValue(kind: 'count' | 'share', v: number, lang: Lang = 'zh'): string {
  return kind === 'share' ? formatPercent(v) : formatExact(v, lang);
}
