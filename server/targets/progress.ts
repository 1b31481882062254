import type { Db } from '../../db/client';
import { adoptionMetricValue } from '../../domain/dashboard';
import { isProvinceCode, provinceOf } from '../../domain/regions';
import {
  addDaysTo,
  classifyProgress,
  cumulativeStart,
  LEVEL_WINDOW_DAYS,
  paceSpan,
  TARGET_METRIC_META,
  type Progress,
  type TargetMetric,
} from '../../domain/targets';
import type { Scope } from '../scope';
import { adoptionRegions, type RegionCell } from '../services/adoption';
import { resolveChain } from '../services/chain-select';
import { daysBetween } from '../services/period';
import { listTargets, type StoredTarget } from './store';

export interface TargetProgress extends StoredTarget, Progress {
  /** The value now: a share over the last 30 days, active departments in them, or the year's total. */
  current: number | null;
  /** The window `current` was measured over (for the link to the rows that make it up). */
  from: string;
  to: string;
  paceDays: number | null;
  /** 1 = furthest along (by ratio) among the targets of the same metric in scope; ties share. */
  rank: number | null;
  peers: number;
}

export interface TargetsProgress {
  asOf: string | null;
  dataFrom: string | null;
  rows: TargetProgress[];
}

/** The value of one metric in one region's cell (null when the region has no such data). */
export function cellValue(c: RegionCell | undefined, m: TargetMetric): number | null {
  return c ? adoptionMetricValue(c, m) : null;
}

/**
 * Progress of every target in scope, measured from the adoption rollups (through the same cached
 * reads as the adoption page, so a target and the map never disagree) as of the latest indexed day.
 */
export async function targetsProgress(
  db: Db,
  scope: Scope,
  opts: { asOf?: string; chainId?: number } = {},
): Promise<TargetsProgress> {
  const targets = await listTargets(db, scope);
  const chain = await resolveChain(db, opts.chainId);
  if (chain.chainId === null) return { asOf: null, dataFrom: null, rows: [] };
  const chainId = chain.chainId;
  // A report of a past period measures at its end; the page at the latest indexed day.
  const asOf = opts.asOf !== undefined && opts.asOf < chain.latestDay ? opts.asOf : chain.latestDay;
  const dataFrom = chain.firstDay ?? asOf;
  const dataDays = daysBetween(dataFrom, asOf);

  // One adoptionRegions read per (window, province-or-nation): cached and shared with the page.
  const reads = new Map<string, Promise<Map<number, RegionCell>>>();
  const cells = (from: string, to: string, code: number) => {
    const province = isProvinceCode(code) ? undefined : provinceOf(code);
    const key = `${from}|${to}|${province ?? ''}`;
    let p = reads.get(key);
    if (!p) {
      p = adoptionRegions(db, scope, { chainId, from, to, province }).then(
        (r) => new Map(r.cells.map((c) => [c.regionCode, c])),
      );
      reads.set(key, p);
    }
    return p.then((m) => m.get(code));
  };
  const clampFrom = (d: string) => (d < dataFrom ? dataFrom : d);

  const rows = await Promise.all(
    targets.map(async (t): Promise<Omit<TargetProgress, 'rank' | 'peers'>> => {
      const meta = TARGET_METRIC_META[t.metric];
      const paceDays = paceSpan(meta.kind, dataDays);
      let current: number | null;
      let paceBase: number | null = null;
      let from: string;
      if (meta.kind === 'level') {
        from = clampFrom(addDaysTo(asOf, -(LEVEL_WINDOW_DAYS - 1)));
        current = cellValue(await cells(from, asOf, t.regionCode), t.metric);
        if (paceDays !== null) {
          const thenTo = addDaysTo(asOf, -paceDays);
          const thenFrom = addDaysTo(thenTo, -(LEVEL_WINDOW_DAYS - 1));
          paceBase = cellValue(await cells(thenFrom, thenTo, t.regionCode), t.metric);
        }
      } else {
        from = cumulativeStart(t.targetDate);
        // A year that has not begun has accumulated nothing yet.
        current =
          from > asOf ? 0 : (cellValue(await cells(clampFrom(from), asOf, t.regionCode), t.metric) ?? 0);
        if (paceDays !== null)
          paceBase =
            cellValue(await cells(addDaysTo(asOf, -(paceDays - 1)), asOf, t.regionCode), t.metric) ?? 0;
      }
      const progress = classifyProgress({
        metric: t.metric,
        target: t.value,
        targetDate: t.targetDate,
        asOf,
        current,
        paceBase,
        paceDays,
      });
      return { ...t, ...progress, current, from, to: asOf, paceDays };
    }),
  );
  return {
    asOf,
    dataFrom,
    rows: rows.map((r) => {
      const peers = rows.filter((o) => o.metric === r.metric && o.ratio !== null);
      const rank = r.ratio === null ? null : peers.filter((o) => (o.ratio ?? 0) > (r.ratio ?? 0)).length + 1;
      return { ...r, rank, peers: peers.length };
    }),
  };
}
