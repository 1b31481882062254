/**
 * Adoption targets (目标) and how progress against them is judged. Pure: the server measures the
 * current value and the pace from the rollups, this file decides "reached / on course / behind"
 * and the projected date, so the page, the report and the tests share one definition.
 */
import { ADOPTION_METRICS } from './dashboard';

// Targets are set on the adoption metrics themselves, so a target and the map measure alike.
export const TARGET_METRICS = ADOPTION_METRICS;
export type TargetMetric = (typeof TARGET_METRICS)[number];

export interface TargetMetricMeta {
  zh: string;
  en: string;
  /** A share is stored and compared as a fraction (0.85 = 85%). */
  unit: 'share' | 'count';
  /**
   * `level`: the value as it stands (a share over the trailing window, or active departments in it).
   * `cumulative`: a running total from 1 January of the target date's year to the day measured.
   */
  kind: 'level' | 'cumulative';
  /** Names accepted in the CSV's metric column besides the id. */
  aliases: readonly string[];
}

export const TARGET_METRIC_META: Record<TargetMetric, TargetMetricMeta> = {
  online_share: {
    zh: '网办率',
    en: 'Online-service share',
    unit: 'share',
    kind: 'level',
    aliases: ['网办率'],
  },
  fully_online_items: {
    zh: '全程网办事项占比',
    en: 'Fully-online items share',
    unit: 'share',
    kind: 'level',
    aliases: ['全程网办', '全程网办事项占比', '全程网办占比'],
  },
  joint_cases: {
    zh: '联办件数',
    en: 'Joint cases',
    unit: 'count',
    kind: 'cumulative',
    aliases: ['联办', '联办件数'],
  },
  sharing_volume: {
    zh: '共享数据量（条）',
    en: 'Records shared',
    unit: 'count',
    kind: 'cumulative',
    aliases: ['共享数据量', '数据共享量'],
  },
  active_orgs: {
    zh: '活跃部门数',
    en: 'Active departments',
    unit: 'count',
    kind: 'level',
    aliases: ['活跃部门', '活跃部门数'],
  },
};

/** The metric a CSV cell names (id or Chinese name), or null. */
export function parseTargetMetric(s: string): TargetMetric | null {
  const v = s.trim();
  for (const m of TARGET_METRICS) {
    if (m === v || TARGET_METRIC_META[m].aliases.includes(v)) return m;
  }
  return null;
}

/** Trailing window (days) over which a level metric is measured: a month smooths weekday rhythm. */
export const LEVEL_WINDOW_DAYS = 30;
/**
 * The pace is read over the last 90 days: a quarter, long enough not to chase one month's noise.
 * A younger chain uses what it has (level metrics need a full window at both ends), down to
 * MIN_PACE_DAYS; below that there is no pace and no projection.
 */
export const PACE_DAYS = 90;
export const MIN_PACE_DAYS = 30;

/** The pace span for data covering `dataDays` days, or null when too short to tell. */
export function paceSpan(kind: 'level' | 'cumulative', dataDays: number): number | null {
  const usable = kind === 'level' ? dataDays - LEVEL_WINDOW_DAYS : dataDays;
  const span = Math.min(PACE_DAYS, usable);
  return span >= MIN_PACE_DAYS ? span : null;
}

export const PROGRESS_STATUSES = ['reached', 'on_course', 'behind'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

const DAY_MS = 86_400_000;
const MAX_PROJECTION_DAYS = 36_500;
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDaysTo = (d: string, n: number): string => toDay(dayMs(d) + n * DAY_MS);

/** First day of accumulation for a cumulative target: 1 January of the target date's year. */
export function cumulativeStart(targetDate: string): string {
  return `${targetDate.slice(0, 4)}-01-01`;
}

export interface ProgressInput {
  metric: TargetMetric;
  target: number;
  targetDate: string;
  /** The day the figures stand at (the latest indexed day), not wall-clock today. */
  asOf: string;
  /** The value now (level) or the total accumulated since cumulativeStart (cumulative); null = no data. */
  current: number | null;
  /**
   * Level metrics: the value `paceDays` earlier (null = no data then).
   * Cumulative metrics: the total of the last `paceDays` days (the rate of accumulation).
   */
  paceBase: number | null;
  /** Days the pace spans (paceSpan); null = no pace. */
  paceDays: number | null;
}

export interface Progress {
  status: ProgressStatus;
  /** current ÷ target (1 = reached); null without a current value. Regions rank by it. */
  ratio: number | null;
  /** target − current (≤ 0 once reached); null without a current value. */
  gap: number | null;
  /** Change per day at the current pace; null when it cannot be measured. */
  pacePerDay: number | null;
  /**
   * The day the target is reached if the pace of the last PACE_DAYS days holds; null when the
   * pace is zero or negative (never, at this pace) or there is no value. Equal to asOf once reached.
   */
  projectedDate: string | null;
}

/**
 * reached: current ≥ target. on course: not yet, but the projection at the pace of the last paceDays lands
 * on or before the target date. behind: otherwise (including a pace that never gets there and a
 * target date already past).
 */
export function classifyProgress(p: ProgressInput): Progress {
  const meta = TARGET_METRIC_META[p.metric];
  if (p.current === null)
    return { status: 'behind', ratio: null, gap: null, pacePerDay: null, projectedDate: null };
  const ratio = p.target > 0 ? p.current / p.target : 1;
  const gap = p.target - p.current;
  let pace: number | null = null;
  if (p.paceBase !== null && p.paceDays !== null && p.paceDays > 0)
    pace = meta.kind === 'level' ? (p.current - p.paceBase) / p.paceDays : p.paceBase / p.paceDays;
  if (gap <= 0) return { status: 'reached', ratio, gap, pacePerDay: pace, projectedDate: p.asOf };
  let projectedDate: string | null = null;
  if (pace !== null && pace > 0) {
    // A cumulative target that has not started yet (its year lies ahead) accumulates from its start.
    const from =
      meta.kind === 'cumulative' && cumulativeStart(p.targetDate) > p.asOf
        ? addDaysTo(cumulativeStart(p.targetDate), -1)
        : p.asOf;
    // The epsilon keeps float noise (0.09 / 0.001 = 90.000…01) from adding a day.
    const days = Math.ceil(gap / pace - 1e-9);
    // Beyond a century is "never" at this pace (and beyond what a Date can hold).
    if (days <= MAX_PROJECTION_DAYS) projectedDate = addDaysTo(from, days);
  }
  const onCourse = projectedDate !== null && projectedDate <= p.targetDate;
  return { status: onCourse ? 'on_course' : 'behind', ratio, gap, pacePerDay: pace, projectedDate };
}

export interface TargetCsvRow {
  regionCode: number;
  metric: TargetMetric;
  value: number;
  targetDate: string;
}
