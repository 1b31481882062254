import { and, between, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orgs } from '../../db/schema/projections';
import { flowDaily, flowRegionDaily } from '../../db/schema/rollups';
import { ACCESS_MODE_BITS } from '../../domain/codes';
import type { Scope } from '../scope';
import type { DashboardChain } from './chain-select';
import { PAIR_REGIONS, pairSumsSql } from './pair-months';
import { readRollups } from './rollup-cache';
import {
  flowAttributes,
  flowScope,
  regionKeySql,
  regionLevel,
  type FlowFilter,
  type FlowGroup,
} from './flows-filter';
import { bucketSql, bucketsBetween, resolvePeriod, type Granularity, type ResolvedPeriod } from './period';

/** One provider → consumer pair at the chosen grouping. Keys: address, kind code or region code. */
export interface FlowPair {
  source: string;
  target: string;
  records: number;
  accesses: number;
}

export interface FlowPairs {
  period: ResolvedPeriod;
  group: FlowGroup;
  regionLevel: 'province' | 'local';
  pairs: FlowPair[];
  /** Names of the orgs in `pairs` (org grouping only): address → name. */
  names: Record<string, string>;
  /** Over every pair, not only the ones returned. */
  total: { records: number; accesses: number; pairs: number };
}

/** Grouping expressions for the two sides at org or region level. */
function sides(
  group: Exclude<FlowGroup, 'kind'>,
  level: 'province' | 'local',
): { s: SQL<string>; t: SQL<string> } {
  if (group === 'org')
    return { s: sql<string>`${flowDaily.ownerOrg}`, t: sql<string>`${flowDaily.accessorOrg}` };
  return {
    s: sql<string>`${regionKeySql(flowDaily.ownerRegion, level)}::text`,
    t: sql<string>`${regionKeySql(flowDaily.accessorRegion, level)}::text`,
  };
}

/**
 * flow_region_daily holds every sum a flow chart needs unless the user filtered by category or
 * sensitivity (or asked for org pairs): ten times fewer rows than flow_daily.
 */
export function regionRollupServes(f: FlowFilter): boolean {
  return f.category === undefined && f.sensitivity === undefined;
}

function flowRegionWhere(scope: Scope, f: FlowFilter, chainId: number, p: ResolvedPeriod): SQL {
  return and(
    eq(flowRegionDaily.chainId, chainId),
    between(flowRegionDaily.day, p.from, p.to),
    flowScope(scope, flowRegionDaily, f.region),
    f.mode === undefined ? undefined : eq(flowRegionDaily.mode, f.mode),
  ) as SQL;
}

export function flowDailyWhere(scope: Scope, f: FlowFilter, chainId: number, p: ResolvedPeriod): SQL {
  return and(
    eq(flowDaily.chainId, chainId),
    between(flowDaily.day, p.from, p.to),
    flowAttributes(scope, flowDaily, f),
  ) as SQL;
}

/** The pair rollup holds sums per org pair, not per category, sensitivity or mode. */
function pairRollupServes(f: FlowFilter): boolean {
  return regionRollupServes(f) && f.mode === undefined;
}

/** `(owner_org, accessor_org, records, accesses)` per org pair over the period, in scope. */
function orgPairSums(scope: Scope, f: FlowFilter, chainId: number, period: ResolvedPeriod): SQL {
  if (pairRollupServes(f))
    return sql`(
      select p.owner_org, p.accessor_org, sum(p.records) as records, sum(p.accesses) as accesses
      from ${pairSumsSql(chainId, period.from, period.to)} p
      where ${flowScope(scope, PAIR_REGIONS, f.region)}
      group by 1, 2
    )`;
  return sql`(
    select ${flowDaily.ownerOrg} as owner_org, ${flowDaily.accessorOrg} as accessor_org,
           sum(${flowDaily.records}) as records, sum(${flowDaily.accesses}) as accesses
    from ${flowDaily} where ${flowDailyWhere(scope, f, chainId, period)}
    group by 1, 2
  )`;
}

/** Pairs grouped by (s, t) over a daily flow rollup, largest first, with totals over every pair. */
function groupedPairs(
  db: Db,
  rollup: typeof flowDaily | typeof flowRegionDaily,
  s: SQL<string>,
  t: SQL<string>,
  where: SQL,
  limit: number,
): Promise<PairRow[]> {
  const records = sql<number>`sum(${rollup.records})::float8`;
  return db
    .select({
      source: s,
      target: t,
      records: records.mapWith(Number),
      accesses: sql<number>`sum(${rollup.accesses})::float8`.mapWith(Number),
      totalRecords: sql<number>`sum(sum(${rollup.records})) over ()`.mapWith(Number),
      totalAccesses: sql<number>`sum(sum(${rollup.accesses})) over ()`.mapWith(Number),
      totalPairs: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(rollup)
    .where(where)
    .groupBy(s, t)
    .orderBy(sql`${records} desc`, s, t)
    .limit(limit);
}

/** Org → org pairs from the pair rollup, largest first, with totals over every pair. */
async function orgPairs(
  db: Db,
  scope: Scope,
  f: FlowFilter,
  chainId: number,
  period: ResolvedPeriod,
  limit: number,
): Promise<PairRow[]> {
  const res = await db.execute<Record<keyof PairRow, string | number>>(sql`
    select p.owner_org as "source", p.accessor_org as "target",
           p.records::float8 as "records", p.accesses::float8 as "accesses",
           (sum(p.records) over ())::float8 as "totalRecords",
           (sum(p.accesses) over ())::float8 as "totalAccesses",
           count(*) over () as "totalPairs"
    from ${orgPairSums(scope, f, chainId, period)} p
    order by p.records desc, 1, 2
    limit ${limit}`);
  return res.rows.map(toPairRow);
}

function toPairRow(r: Record<keyof PairRow, string | number>): PairRow {
  return {
    source: String(r.source),
    target: String(r.target),
    records: Number(r.records),
    accesses: Number(r.accesses),
    totalRecords: Number(r.totalRecords),
    totalAccesses: Number(r.totalAccesses),
    totalPairs: Number(r.totalPairs),
  };
}

interface PairRow {
  source: string;
  target: string;
  records: number;
  accesses: number;
  totalRecords: number;
  totalAccesses: number;
  totalPairs: number;
}

/**
 * Pairs by org kind: sum the rollup per org pair first, then look up the (few hundred) orgs'
 * kinds, so the join never runs once per rollup row. Kinds of unregistered orgs are -1.
 */
async function kindPairs(
  db: Db,
  scope: Scope,
  f: FlowFilter,
  chainId: number,
  period: ResolvedPeriod,
  limit: number,
): Promise<PairRow[]> {
  const res = await db.execute<Record<keyof PairRow, string | number>>(sql`
    with pairs as ${orgPairSums(scope, f, chainId, period)}
    select coalesce(po.kind, -1)::text as "source", coalesce(ao.kind, -1)::text as "target",
           sum(p.records)::float8 as "records", sum(p.accesses)::float8 as "accesses",
           sum(sum(p.records)) over ()::float8 as "totalRecords",
           sum(sum(p.accesses)) over ()::float8 as "totalAccesses",
           count(*) over () as "totalPairs"
    from pairs p
    left join ${orgs} po on po.chain_id = ${chainId} and po.address = p.owner_org
    left join ${orgs} ao on ao.chain_id = ${chainId} and ao.address = p.accessor_org
    group by 1, 2
    order by 3 desc, 1, 2
    limit ${limit}`);
  return res.rows.map(toPairRow);
}

/** Provider → consumer totals over the period, largest first; `limit` keeps the top pairs. */
async function flowPairsOn(
  chain: DashboardChain,
  db: Db,
  scope: Scope,
  f: FlowFilter,
  group: FlowGroup,
  limit: number,
): Promise<FlowPairs> {
  const period = resolvePeriod(f, chain.latestDay);
  const level = regionLevel(scope, f);
  const empty: FlowPairs = {
    period,
    group,
    regionLevel: level,
    pairs: [],
    names: {},
    total: { records: 0, accesses: 0, pairs: 0 },
  };
  if (chain.chainId === null) return empty;
  const rows =
    group === 'kind' ? await kindPairs(db, scope, f, chain.chainId, period, limit) : await keyPairs(group);
  function keyPairs(g: Exclude<FlowGroup, 'kind'>) {
    const id = chain.chainId ?? 0;
    if (g === 'org' && pairRollupServes(f)) return orgPairs(db, scope, f, id, period, limit);
    if (g === 'region' && regionRollupServes(f))
      return groupedPairs(
        db,
        flowRegionDaily,
        sql<string>`${regionKeySql(flowRegionDaily.ownerRegion, level)}::text`,
        sql<string>`${regionKeySql(flowRegionDaily.accessorRegion, level)}::text`,
        flowRegionWhere(scope, f, id, period),
        limit,
      );
    const { s, t } = sides(g, level);
    return groupedPairs(db, flowDaily, s, t, flowDailyWhere(scope, f, id, period), limit);
  }
  const first = rows[0];
  if (!first) return empty;
  const pairs = rows.map((r) => ({
    source: r.source,
    target: r.target,
    records: r.records,
    accesses: r.accesses,
  }));
  const names: Record<string, string> = {};
  if (group === 'org') {
    const addrs = [...new Set(pairs.flatMap((p) => [p.source, p.target]))] as `0x${string}`[];
    const named = await db
      .select({ address: orgs.address, name: orgs.name })
      .from(orgs)
      .where(and(eq(orgs.chainId, chain.chainId), inArray(orgs.address, addrs)));
    for (const n of named) names[n.address] = n.name;
  }
  return {
    period,
    group,
    regionLevel: level,
    pairs,
    names,
    total: { records: first.totalRecords, accesses: first.totalAccesses, pairs: first.totalPairs },
  };
}

export interface ModeSeries {
  period: ResolvedPeriod;
  granularity: Granularity;
  /** Modes in the order of `accesses[i]` / `records[i]`: 1 submit, 2 verify, 4 query, 8 assess. */
  modes: readonly number[];
  points: { bucket: string; accesses: number[]; records: number[] }[];
}

/** Accesses and records per time bucket and mode over a daily flow rollup. */
function modeRows(db: Db, rollup: typeof flowDaily | typeof flowRegionDaily, where: SQL, g: Granularity) {
  const bucket = bucketSql(rollup.day, g);
  return db
    .select({
      bucket,
      mode: rollup.mode,
      accesses: sql<number>`sum(${rollup.accesses})::float8`.mapWith(Number),
      records: sql<number>`sum(${rollup.records})::float8`.mapWith(Number),
    })
    .from(rollup)
    .where(where)
    .groupBy(bucket, rollup.mode);
}

/** Accesses and records per time bucket and access mode; every bucket present, zeros included. */
async function flowSeriesByModeOn(
  chain: DashboardChain,
  db: Db,
  scope: Scope,
  f: FlowFilter,
): Promise<ModeSeries> {
  const period = resolvePeriod(f, chain.latestDay);
  const g = period.granularity;
  const modes = ACCESS_MODE_BITS;
  const points = bucketsBetween(period.from, period.to, g).map((bucket) => ({
    bucket,
    accesses: modes.map(() => 0),
    records: modes.map(() => 0),
  }));
  if (chain.chainId === null) return { period, granularity: g, modes, points };
  const rows = regionRollupServes(f)
    ? await modeRows(db, flowRegionDaily, flowRegionWhere(scope, f, chain.chainId, period), g)
    : await modeRows(db, flowDaily, flowDailyWhere(scope, f, chain.chainId, period), g);
  const byBucket = new Map(points.map((p) => [p.bucket, p]));
  for (const r of rows) {
    const p = byBucket.get(r.bucket);
    const i = modes.indexOf(r.mode as (typeof modes)[number]);
    if (!p || i < 0) continue;
    p.accesses[i] = (p.accesses[i] ?? 0) + r.accesses;
    p.records[i] = (p.records[i] ?? 0) + r.records;
  }
  return { period, granularity: g, modes, points };
}

export function flowPairs(
  db: Db,
  scope: Scope,
  f: FlowFilter,
  group: FlowGroup,
  limit: number,
): Promise<FlowPairs> {
  return readRollups(db, scope, 'flows.pairs', { ...f, group, limit }, (chain) =>
    flowPairsOn(chain, db, scope, f, group, limit),
  );
}

export function flowSeriesByMode(db: Db, scope: Scope, f: FlowFilter): Promise<ModeSeries> {
  return readRollups(db, scope, 'flows.series', f, (chain) => flowSeriesByModeOn(chain, db, scope, f));
}
