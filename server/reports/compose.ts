import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { eventsDaily } from '../../db/schema/rollups';
import { invalid, notFound } from '../errors';
import { resolveChain } from '../services/chain-select';
import { caseChannels, channelTrend, incidentBreakdown, sharingBreakdown } from './details';
import {
  KPI_IDS,
  KPI_META,
  type ComparisonRow,
  type Kpi,
  type KpiId,
  type ReportFigures,
} from './figures-types';
import { leadershipFigures } from './leadership';
import { emptyMetrics, metricsByKey, type UnitMetrics } from './metrics';
import { shanghaiDay } from '../../domain/time';
import { addDays, daysBetween } from '../services/period';
import { parseReportPeriod, previousPeriod, type ReportPeriod } from './period';
import { NATION, reportRegion, reportRegionProblem, type ReportRegion } from './region';
import { composeSummary } from './summary';
import { supervisionReportFigures } from './supervision';

export interface ReportRequest {
  /** 0 = nation. */
  regionCode: number;
  /** '2026-09' | '2026-Q3' | '2026' */
  period: string;
  chainId?: number;
  /** The clock (tests pin it): decides which periods have begun and which are still running. */
  now?: Date;
}

/**
 * The days a report covers and what it is compared with. A period that has not begun is refused;
 * one still running (month-to-date) covers its days through today and is compared like for like
 * with the same number of days at the start of the previous period (1–5 Dec with 1–5 Nov, not with
 * all of November, which made every figure fall by half or more on the 1st).
 */
export function reportSpan(period: ReportPeriod, today: string) {
  if (period.from > today)
    throw invalid(
      `period: ${period.key} has not begun yet (today is ${today} in Asia/Shanghai); choose a period that has begun`,
    );
  const full = previousPeriod(period);
  // Today is not over: a period ending today is still running.
  if (period.to < today) return { covered: period, previous: full, partial: null };
  const through = today;
  const days = daysBetween(period.from, through);
  const prevTo = addDays(full.from, days - 1);
  return {
    covered: { ...period, to: through },
    previous: { ...full, to: prevTo < full.to ? prevTo : full.to },
    partial: { through, days, ofDays: daysBetween(period.from, period.to) },
  };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The value of each headline figure from a unit's sums. */
export function kpiValue(m: UnitMetrics, id: KpiId): number | null {
  switch (id) {
    case 'onlineShare':
      return ratio(m.casesOnline, m.casesTotal);
    case 'fullyOnlineItemsShare':
      return ratio(m.itemsFullyOnline, m.itemsTotal);
    case 'casesTotal':
      return m.casesTotal;
    case 'jointCases':
      return m.jointCases;
    case 'avgHandlingMinutes':
      return ratio(m.durationMinutes, m.casesTotal);
    case 'sharedRecords':
      return m.sharedRecords;
    case 'accesses':
      return m.accesses;
    case 'newGrants':
      return m.newGrants;
    case 'incidents':
      return m.incidents;
    case 'medianResolveHours':
      return m.medianResolveHours;
  }
}

/** Competition rank (1 = best; ties share a rank) of `value` among the peers' values. */
export function rankAmong(value: number | null, peers: (number | null)[], better: 'higher' | 'lower') {
  const known = peers.filter((v): v is number => v !== null);
  if (value === null || known.length === 0) return { rank: null, peers: known.length || null };
  const ahead = known.filter((v) => (better === 'higher' ? v > value : v < value)).length;
  return { rank: ahead + 1, peers: known.length };
}

/**
 * The units the comparison table and chart list, each with its figures. A report is read by
 * everyone whose scope holds its region, so it may only show figures of units inside that region
 * (security review item 9, docs/security.md): the nation's report compares provinces, a
 * province's report compares its own cities (districts in a municipality), a city's report
 * compares nothing. Ranks still place the region among its peers (a number and a count, never
 * another unit's name or figure).
 */
function comparisonSplit(
  db: Db,
  region: ReportRegion,
  p: { chainId: number; from: string; to: string },
): Promise<Map<number, UnitMetrics> | null> {
  if (region.level === 'city') return Promise.resolve(null);
  return region.level === 'nation'
    ? metricsByKey(db, { ...p, level: 'province', within: NATION })
    : metricsByKey(db, { ...p, level: 'city', within: region.code });
}

/**
 * Computes every figure of the report of `regionCode` for `period`, from the rollups,
 * projections and incidents of the indexed chain. Peers are the units at the region's level inside
 * its parent that completed at least one case in the period (the region itself always counts).
 */
export async function computeReportFigures(db: Db, req: ReportRequest): Promise<ReportFigures> {
  const period = parseReportPeriod(req.period);
  if (!period) throw invalid('period: must be YYYY-MM, YYYY-Qn or YYYY, e.g. 2026-09, 2026-Q3, 2026');
  const problem = reportRegionProblem(req.regionCode);
  if (problem) throw invalid(`region: ${problem}`);
  const region = reportRegion(req.regionCode);
  const chain = await resolveChain(db, req.chainId);
  if (chain.chainId === null) throw notFound('an indexed chain');
  const chainId = chain.chainId;
  const span = reportSpan(period, shanghaiDay(Math.floor((req.now ?? new Date()).getTime() / 1000)));
  const previous = span.previous;

  const at = (p: { from: string; to: string }) =>
    region.level === 'nation'
      ? metricsByKey(db, { chainId, ...p, level: 'nation', within: NATION })
      : metricsByKey(db, { chainId, ...p, level: region.level, within: region.parent ?? NATION });
  const covered = span.covered;
  const q = { chainId, regionCode: region.code, from: covered.from, to: covered.to };
  const [cur, prev, split, channels, trend, sharing, incidents, leadership, supervision] = await Promise.all([
    at(covered),
    at(previous),
    comparisonSplit(db, region, { chainId, from: covered.from, to: covered.to }),
    caseChannels(db, q),
    channelTrend(db, q),
    sharingBreakdown(db, q),
    incidentBreakdown(db, q),
    leadershipFigures(db, { chainId, region, period }),
    supervisionReportFigures(db, { ...q, now: req.now ?? new Date() }),
  ]);
  const [first] = await db
    .select({ day: sql<string | null>`min(${eventsDaily.day})` })
    .from(eventsDaily)
    .where(eq(eventsDaily.chainId, chainId));
  const own = cur.get(region.code) ?? emptyMetrics();
  const ownPrev = prev.get(region.code) ?? emptyMetrics();

  // Region 0 in a rollup is "unregistered actor", never a peer.
  const peerMap = region.level === 'nation' ? null : cur;
  const peerCodes = peerMap
    ? [...peerMap].filter(([c, m]) => c !== 0 && (m.casesTotal > 0 || c === region.code)).map(([c]) => c)
    : [];
  if (peerMap && !peerCodes.includes(region.code)) peerCodes.push(region.code);

  const kpis = {} as Record<KpiId, Kpi>;
  for (const id of KPI_IDS) {
    const value = kpiValue(own, id);
    const r = peerMap
      ? rankAmong(
          value,
          peerCodes.map((c) => kpiValue(peerMap.get(c) ?? emptyMetrics(), id)),
          KPI_META[id].better,
        )
      : { rank: null, peers: null };
    kpis[id] = { value, previous: kpiValue(ownPrev, id), rank: r.rank, peers: r.peers };
  }

  const comparison: ReportFigures['comparison'] = split
    ? {
        level: region.level === 'nation' ? 'province' : 'city',
        rows: [...split]
          .filter(([c, m]) => c !== 0 && (m.casesTotal > 0 || c === region.code))
          .map(([code, m]): ComparisonRow => ({
            code,
            onlineShare: kpiValue(m, 'onlineShare'),
            fullyOnlineItemsShare: kpiValue(m, 'fullyOnlineItemsShare'),
            casesTotal: m.casesTotal,
            sharedRecords: m.sharedRecords,
          }))
          .sort((a, b) => (b.onlineShare ?? -1) - (a.onlineShare ?? -1) || a.code - b.code),
      }
    : null;

  const figures: Omit<ReportFigures, 'summaryZh'> = {
    schema: 1,
    chainId,
    region,
    period,
    previous,
    partial: span.partial,
    dataFrom: first?.day ?? period.from,
    dataThrough: chain.latestDay,
    kpis,
    adoption: {
      ...channels,
      itemsTotal: own.itemsTotal,
      itemsFullyOnline: own.itemsFullyOnline,
      trend,
    },
    sharing: {
      accesses: own.accesses,
      records: own.sharedRecords,
      ...sharing,
      newGrants: own.newGrants,
    },
    oversight: {
      incidents: own.incidents,
      ...incidents,
      resolved: own.resolved,
      medianResolveHours: own.medianResolveHours,
      meanResolveHours: own.meanResolveHours,
    },
    comparison,
    leadership,
    supervision,
  };
  return { ...figures, summaryZh: composeSummary(figures) };
}
