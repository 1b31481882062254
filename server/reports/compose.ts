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
import { emptyMetrics, metricsByKey, type UnitMetrics } from './metrics';
import { parseReportPeriod, previousPeriod } from './period';
import { NATION, reportRegion, reportRegionProblem } from './region';
import { composeSummary } from './summary';

export interface ReportRequest {
  /** 0 = nation. */
  regionCode: number;
  /** '2026-09' | '2026-Q3' | '2026' */
  period: string;
  chainId?: number;
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
  const previous = previousPeriod(period);

  const at = (p: { from: string; to: string }) =>
    region.level === 'nation'
      ? metricsByKey(db, { chainId, ...p, level: 'nation', within: NATION })
      : metricsByKey(db, { chainId, ...p, level: region.level, within: region.parent ?? NATION });
  const q = { chainId, regionCode: region.code, from: period.from, to: period.to };
  const [cur, prev, nationSplit, channels, trend, sharing, incidents] = await Promise.all([
    at(period),
    at(previous),
    region.level === 'nation'
      ? metricsByKey(db, { chainId, from: period.from, to: period.to, level: 'province', within: NATION })
      : Promise.resolve(null),
    caseChannels(db, q),
    channelTrend(db, q),
    sharingBreakdown(db, q),
    incidentBreakdown(db, q),
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

  const split = nationSplit ?? peerMap;
  const comparison: ReportFigures['comparison'] = split
    ? {
        level: region.level === 'city' ? 'city' : 'province',
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
  };
  return { ...figures, summaryZh: composeSummary(figures) };
}
