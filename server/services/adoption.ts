import { and, between, eq, lte, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { serviceItems } from '../../db/schema/projections';
import { adoptionDaily, flowRegionDaily } from '../../db/schema/rollups';
import { belowProvince, regionKey, scopedRegionFilter, type RegionKeyLevel, type Scope } from '../scope';
import type { DashboardChain } from './chain-select';
import { readRollups } from './rollup-cache';
import { pairActivitySql } from './pair-months';
import {
  addDays,
  bucketSql,
  bucketsBetween,
  resolvePeriod,
  type PeriodInput,
  type ResolvedPeriod,
} from './period';

export { ADOPTION_METRICS, type AdoptionMetric } from '~/domain/dashboard';

export interface RegionCell {
  regionCode: number;
  casesTotal: number;
  casesOnline: number;
  jointCases: number;
  /** (web + mobile) / total cases — depth of online service; null without cases. */
  onlineShare: number | null;
  itemsTotal: number;
  itemsFullyOnline: number;
  /** Share of listed service items that are fully online (全程网办) — breadth; null without items. */
  fullyOnlineShare: number | null;
  /** Records shared where the region provides or uses the data (an internal flow counts once). */
  sharingRecords: number;
  /** Distinct orgs of the region that provided or used data. */
  activeOrgs: number;
}

export interface AdoptionRegions {
  chainId: number | null;
  period: ResolvedPeriod;
  level: RegionKeyLevel;
  province: number | null;
  cells: RegionCell[];
}

const n = (v: unknown): number => Number(v ?? 0);

function blank(regionCode: number): RegionCell {
  return {
    regionCode,
    casesTotal: 0,
    casesOnline: 0,
    jointCases: 0,
    onlineShare: null,
    itemsTotal: 0,
    itemsFullyOnline: 0,
    fullyOnlineShare: null,
    sharingRecords: 0,
    activeOrgs: 0,
  };
}

/** Every adoption metric per province (or per city of `province`) over the period, in scope. */
async function adoptionRegionsOn(
  chain: DashboardChain,
  db: Db,
  scope: Scope,
  input: PeriodInput & { chainId?: number; province?: number; districts?: boolean },
): Promise<AdoptionRegions> {
  const period = resolvePeriod(input, chain.latestDay, '90d');
  const level: RegionKeyLevel =
    input.province === undefined ? 'province' : input.districts && belowProvince(scope) ? 'district' : 'city';
  const out: AdoptionRegions = {
    chainId: chain.chainId,
    period,
    level,
    province: input.province ?? null,
    cells: [],
  };
  if (chain.chainId === null) return out;
  const id = chain.chainId;
  const inScope = (col: Column | SQL) => scopedRegionFilter(scope, col, input.province);

  const ak = regionKey(adoptionDaily.regionCode, level);
  const ik = regionKey(serviceItems.regionCode, level);
  const [cases, items, sharing, active] = await Promise.all([
    db
      .select({
        key: ak.mapWith(n),
        total: sql`sum(${adoptionDaily.casesTotal})`.mapWith(n),
        online: sql`sum(${adoptionDaily.casesWeb} + ${adoptionDaily.casesMobile})`.mapWith(n),
        joint: sql`sum(${adoptionDaily.jointCases})`.mapWith(n),
      })
      .from(adoptionDaily)
      .where(
        and(
          eq(adoptionDaily.chainId, id),
          between(adoptionDaily.day, period.from, period.to),
          inScope(adoptionDaily.regionCode),
        ),
      )
      .groupBy(ak),
    // Breadth is the catalogue as it stands: items whose latest listing is on or before the period end.
    db
      .select({
        key: ik.mapWith(n),
        total: sql`count(*)`.mapWith(n),
        full: sql`count(*) filter (where ${serviceItems.onlineLevel} = 2)`.mapWith(n),
      })
      .from(serviceItems)
      .where(
        and(
          eq(serviceItems.chainId, id),
          lte(serviceItems.listedDay, period.to),
          inScope(serviceItems.regionCode),
        ),
      )
      .groupBy(ik),
    // Records per region side: one pass sums each region pair, then each pair counts for both
    // of its sides (an internal flow once).
    db.execute<{ key: number; records: string }>(sql`
      with pairs as (
        select ${flowRegionDaily.ownerRegion} as o, ${flowRegionDaily.accessorRegion} as a,
               sum(${flowRegionDaily.records}) as records
        from ${flowRegionDaily}
        where ${flowRegionDaily.chainId} = ${id} and ${flowRegionDaily.day} between ${period.from} and ${period.to}
          and (${inScope(flowRegionDaily.ownerRegion)} or ${inScope(flowRegionDaily.accessorRegion)})
        group by 1, 2
      ),
      sides as (
        select ${regionKey(sql`o`, level)} as key, records from pairs where ${inScope(sql`o`)}
        union all
        select ${regionKey(sql`a`, level)},
               case when ${regionKey(sql`o`, level)} = ${regionKey(sql`a`, level)} then 0 else records end
          from pairs where ${inScope(sql`a`)}
      )
      select key, sum(records)::text as records from sides group by key`),
    // Distinct orgs that provided or used data, from one row per org pair and month.
    db.execute<{ key: number; orgs: string }>(sql`
      with a as ${pairActivitySql(id, { cur: { from: period.from, to: period.to } })},
      sides as (
        select ${regionKey(sql`owner_region`, level)} as key, owner_org as org from a
          where cur and ${inScope(sql`owner_region`)}
        union all
        select ${regionKey(sql`accessor_region`, level)}, accessor_org from a
          where cur and ${inScope(sql`accessor_region`)}
      )
      select key, count(distinct org)::text as orgs from sides group by key`),
  ]);

  const cells = new Map<number, RegionCell>();
  const cell = (k: number) => {
    let c = cells.get(k);
    if (!c) cells.set(k, (c = blank(k)));
    return c;
  };
  for (const r of cases) {
    const c = cell(r.key);
    c.casesTotal = r.total;
    c.casesOnline = r.online;
    c.jointCases = r.joint;
    c.onlineShare = r.total > 0 ? r.online / r.total : null;
  }
  for (const r of items) {
    const c = cell(r.key);
    c.itemsTotal = r.total;
    c.itemsFullyOnline = r.full;
    c.fullyOnlineShare = r.total > 0 ? r.full / r.total : null;
  }
  for (const r of sharing.rows) cell(Number(r.key)).sharingRecords = n(r.records);
  for (const r of active.rows) cell(Number(r.key)).activeOrgs = n(r.orgs);
  // Region 0 marks unregistered actors: not a place on the map.
  out.cells = [...cells.values()]
    .filter((c) => c.regionCode !== 0)
    .sort((a, b) => a.regionCode - b.regionCode);
  return out;
}

export interface AdoptionTrend {
  granularity: 'month';
  /** The regions drawn, most cases first (at most `top`). */
  regions: number[];
  points: { bucket: string; regionCode: number; cases: number; online: number; joint: number }[];
  buckets: string[];
  /**
   * The last month when it is not complete (the period ends before its last day, or today is in
   * it): its share rests on fewer days, and the chart marks it instead of drawing it as a month.
   */
  partialBucket: string | null;
}

/** The first day of the month after the one holding `day`. */
function nextMonthStart(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Monthly cases and online cases per region for the 12 months up to the period's end. */
async function adoptionTrendOn(
  chain: DashboardChain,
  db: Db,
  scope: Scope,
  input: PeriodInput & { chainId?: number; province?: number; top: number },
): Promise<AdoptionTrend> {
  const period = resolvePeriod(input, chain.latestDay, '90d');
  const from = `${addDays(`${period.to.slice(0, 7)}-01`, -335).slice(0, 7)}-01`;
  const buckets = bucketsBetween(from, period.to, 'month');
  const lastBucket = buckets[buckets.length - 1] ?? null;
  const monthEnd = addDays(`${nextMonthStart(period.to)}`, -1);
  const partialBucket = period.partial || period.to < monthEnd ? lastBucket : null;
  const empty: AdoptionTrend = { granularity: 'month', regions: [], points: [], buckets, partialBucket };
  if (chain.chainId === null) return empty;
  const level = input.province === undefined ? 'province' : 'city';
  const key = regionKey(adoptionDaily.regionCode, level);
  const bucket = bucketSql(adoptionDaily.day, 'month');
  const rows = await db
    .select({
      bucket,
      regionCode: key.mapWith(n),
      cases: sql`sum(${adoptionDaily.casesTotal})`.mapWith(n),
      online: sql`sum(${adoptionDaily.casesWeb} + ${adoptionDaily.casesMobile})`.mapWith(n),
      joint: sql`sum(${adoptionDaily.jointCases})`.mapWith(n),
    })
    .from(adoptionDaily)
    .where(
      and(
        eq(adoptionDaily.chainId, chain.chainId),
        between(adoptionDaily.day, from, period.to),
        scopedRegionFilter(scope, adoptionDaily.regionCode, input.province),
      ),
    )
    .groupBy(bucket, key);
  const totals = new Map<number, number>();
  for (const r of rows) totals.set(r.regionCode, (totals.get(r.regionCode) ?? 0) + r.cases);
  const regions = [...totals]
    .filter(([code]) => code !== 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, input.top)
    .map(([code]) => code);
  const shown = new Set(regions);
  return {
    granularity: 'month',
    regions,
    buckets,
    partialBucket,
    points: rows.filter((r) => shown.has(r.regionCode)).sort((a, b) => a.bucket.localeCompare(b.bucket)),
  };
}

export function adoptionRegions(
  db: Db,
  scope: Scope,
  input: PeriodInput & { chainId?: number; province?: number; districts?: boolean },
): Promise<AdoptionRegions> {
  return readRollups(db, scope, 'adoption.regions', input, (chain) =>
    adoptionRegionsOn(chain, db, scope, input),
  );
}

export function adoptionTrend(
  db: Db,
  scope: Scope,
  input: PeriodInput & { chainId?: number; province?: number; top: number },
): Promise<AdoptionTrend> {
  return readRollups(db, scope, 'adoption.trend', input, (chain) => adoptionTrendOn(chain, db, scope, input));
}
