import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { addDays } from '../services/period';
import { shanghaiDayStart } from './period';
import { peerKey, regionFilter, type ReportLevel } from './region';

/** The rankable figures of one region (or peer) over one period: plain sums, shares come later. */
export interface UnitMetrics {
  casesTotal: number;
  casesOnline: number;
  jointCases: number;
  durationMinutes: number;
  itemsTotal: number;
  itemsFullyOnline: number;
  sharedRecords: number;
  accesses: number;
  newGrants: number;
  incidents: number;
  resolved: number;
  medianResolveHours: number | null;
  meanResolveHours: number | null;
}

export function emptyMetrics(): UnitMetrics {
  return {
    casesTotal: 0,
    casesOnline: 0,
    jointCases: 0,
    durationMinutes: 0,
    itemsTotal: 0,
    itemsFullyOnline: 0,
    sharedRecords: 0,
    accesses: 0,
    newGrants: 0,
    incidents: 0,
    resolved: 0,
    medianResolveHours: null,
    meanResolveHours: null,
  };
}

export interface MetricsQuery {
  chainId: number;
  from: string;
  to: string;
  /** Level of the keys: 'nation' gives one key (0) for everything inside `within`. */
  level: ReportLevel;
  /** Only rows of this region (0 = nation) take part. */
  within: number;
}

const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function rows(db: Db, q: SQL): Promise<Record<string, unknown>[]> {
  return (await db.execute<Record<string, unknown>>(q)).rows;
}

/**
 * Every rankable figure per key (one key per peer), read from the rollups and projections:
 *  - cases, online (web + mobile), joint cases, minutes: adoption_daily over the period's days;
 *  - catalogue breadth: each (region, item)'s latest ServiceItemListed before the period's end,
 *    so a past period sees the catalogue as it stood then (service_items only holds today's);
 *  - records and accesses: flow_daily rows where the provider or the user lies in the unit, each
 *    row once (a flow inside one unit is not counted twice);
 *  - new grants: granted in the period to, or on a dataset owned by, an org of the unit (the
 *    nation counts every grant, unregistered parties included);
 *  - incidents that occurred in the period in the unit, and hours from detection to the first
 *    change to 'resolved' (incident_activity).
 */
export async function metricsByKey(db: Db, q: MetricsQuery): Promise<Map<number, UnitMetrics>> {
  const { chainId, from, to } = q;
  const key = (col: SQL) => peerKey(q.level, col);
  const inside = (col: SQL) => regionFilter(q.within, col);
  const start = shanghaiDayStart(from).toISOString();
  const end = shanghaiDayStart(addDays(to, 1)).toISOString();
  const region = sql.raw('region_code');

  const [cases, items, sharing, grants, incidents] = await Promise.all([
    rows(
      db,
      sql`select ${key(region)} as key, sum(cases_total) as total, sum(cases_web + cases_mobile) as online,
                 sum(joint_cases) as joint, sum(duration_minutes_total) as minutes
            from adoption_daily
           where chain_id = ${chainId} and day between ${from} and ${to} and ${inside(region)}
           group by 1`,
    ),
    rows(
      db,
      sql`with latest as (
            select distinct on ((args->>'regionCode')::int, (args->>'itemCode')::int)
                   (args->>'regionCode')::int as region_code, (args->>'onlineLevel')::int as level
              from events
             where chain_id = ${chainId} and event_name = 'ServiceItemListed' and block_time < ${end}
             order by (args->>'regionCode')::int, (args->>'itemCode')::int, block_number desc, log_index desc)
          select ${key(region)} as key, count(*) as total, count(*) filter (where level = 2) as full
            from latest where ${inside(region)} group by 1`,
    ),
    rows(
      db,
      sql`with sides as (
            select ${key(sql.raw('owner_region'))} as key, records, accesses
              from flow_daily
             where chain_id = ${chainId} and day between ${from} and ${to} and ${inside(sql.raw('owner_region'))}
            union all
            select ${key(sql.raw('accessor_region'))},
                   case when ${key(sql.raw('owner_region'))} = ${key(sql.raw('accessor_region'))} then 0 else records end,
                   case when ${key(sql.raw('owner_region'))} = ${key(sql.raw('accessor_region'))} then 0 else accesses end
              from flow_daily
             where chain_id = ${chainId} and day between ${from} and ${to} and ${inside(sql.raw('accessor_region'))}
          )
          select key, sum(records) as records, sum(accesses) as accesses from sides group by key`,
    ),
    rows(
      db,
      sql`with g as (
            select grant_id, grantee, dataset_id from grants
             where chain_id = ${chainId} and granted_at >= ${start} and granted_at < ${end}
          ), sides as (
            select coalesce(o.region_code, 0) as region_code, g.grant_id from g
              left join orgs o on o.chain_id = ${chainId} and o.address = g.grantee
            union all
            select coalesce(o.region_code, 0), g.grant_id from g
              left join datasets d on d.chain_id = ${chainId} and d.dataset_id = g.dataset_id
              left join orgs o on o.chain_id = ${chainId} and o.address = d.owner
          )
          select ${key(region)} as key, count(distinct grant_id) as grants from sides where ${inside(region)} group by 1`,
    ),
    rows(
      db,
      sql`with i as (
            select id, region_code, detected_at from incidents
             where chain_id = ${chainId} and occurred_at >= ${start} and occurred_at < ${end} and ${inside(region)}
          ), r as (
            select a.incident_id, min(a.at) as at from incident_activity a join i on i.id = a.incident_id
             where a.to_status = 'resolved' group by a.incident_id
          ), h as (
            select i.region_code, extract(epoch from (r.at - i.detected_at)) / 3600.0 as hours
              from i join r on r.incident_id = i.id
          ), counts as (select ${key(region)} as key, count(*) as n from i group by 1),
          times as (
            select ${key(region)} as key, count(*) as resolved,
                   percentile_cont(0.5) within group (order by hours) as median, avg(hours) as mean
              from h group by 1
          )
          select c.key, c.n, t.resolved, t.median, t.mean from counts c left join times t on t.key = c.key`,
    ),
  ]);

  const out = new Map<number, UnitMetrics>();
  const at = (k: unknown) => {
    const code = num(k);
    let m = out.get(code);
    if (!m) out.set(code, (m = emptyMetrics()));
    return m;
  };
  for (const r of cases) {
    const m = at(r.key);
    m.casesTotal = num(r.total);
    m.casesOnline = num(r.online);
    m.jointCases = num(r.joint);
    m.durationMinutes = num(r.minutes);
  }
  for (const r of items) {
    const m = at(r.key);
    m.itemsTotal = num(r.total);
    m.itemsFullyOnline = num(r.full);
  }
  for (const r of sharing) {
    const m = at(r.key);
    m.sharedRecords = num(r.records);
    m.accesses = num(r.accesses);
  }
  for (const r of grants) at(r.key).newGrants = num(r.grants);
  for (const r of incidents) {
    const m = at(r.key);
    m.incidents = num(r.n);
    m.resolved = num(r.resolved);
    m.medianResolveHours = numOrNull(r.median);
    m.meanResolveHours = numOrNull(r.mean);
  }
  return out;
}
