import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { DEPARTMENT_KINDS } from '../../domain/codes';
import { consumesOnly, provides, siloIndex, type DepartmentSiloFacts } from '../../domain/silo';
import { regionKey, scopedRegionFilter, type Scope } from '../scope';
import type { DashboardChain } from './chain-select';
import { readRollups } from './rollup-cache';

export interface DepartmentSilo extends DepartmentSiloFacts {
  address: string;
  name: string;
  kind: number;
  regionCode: number;
  /** The province (or, drilled, the city or municipal district) the department counts in. */
  regionKey: number;
  dataUsed: boolean;
  provides: boolean;
  consumesOnly: boolean;
  index: number;
}

/** Sums over a group of departments (a region or a kind); `index` is the mean of theirs. */
export interface SiloGroup {
  key: number;
  departments: number;
  providers: number;
  /** providers ÷ departments; null without departments. */
  providerShare: number | null;
  consumeOnly: number;
  datasets: number;
  datasetsUnused: number;
  grantsGiven: number;
  grantsReceived: number;
  index: number | null;
}

export interface SiloIndex {
  chainId: number | null;
  level: 'province' | 'city';
  province: number | null;
  /** Everything in scope together (the region, or the nation). */
  total: SiloGroup;
  regions: SiloGroup[];
  kinds: SiloGroup[];
  /** The most closed departments first (at most `top`). */
  departments: DepartmentSilo[];
  /** Per month: share of departments (registered by the month's end) that provided data in it. */
  trend: { month: string; key: number; departments: number; providers: number }[];
}

const DEPTS = sql.raw(DEPARTMENT_KINDS.join(','));

function group(key: number, ds: DepartmentSilo[]): SiloGroup {
  const sum = (f: (d: DepartmentSilo) => number) => ds.reduce((a, d) => a + f(d), 0);
  const providers = ds.filter((d) => d.provides).length;
  return {
    key,
    departments: ds.length,
    providers,
    providerShare: ds.length ? providers / ds.length : null,
    consumeOnly: ds.filter((d) => d.consumesOnly).length,
    datasets: sum((d) => d.datasets),
    datasetsUnused: sum((d) => d.datasetsUnused),
    grantsGiven: sum((d) => d.grantsGiven),
    grantsReceived: sum((d) => d.grantsReceived),
    index: ds.length ? sum((d) => d.index) / ds.length : null,
  };
}

function groupBy(ds: DepartmentSilo[], key: (d: DepartmentSilo) => number): SiloGroup[] {
  const m = new Map<number, DepartmentSilo[]>();
  for (const d of ds) {
    const k = key(d);
    const list = m.get(k);
    if (list) list.push(d);
    else m.set(k, [d]);
  }
  return [...m]
    .map(([k, list]) => group(k, list))
    .sort((a, b) => (b.index ?? 0) - (a.index ?? 0) || a.key - b.key);
}

/**
 * Per department facts from the projections (orgs, datasets, grants: one row per thing, not per
 * event) and flow_pair_monthly (one row per org pair and month): never the raw events.
 */
async function departmentFacts(db: Db, chainId: number, inScope: SQL, key: SQL): Promise<DepartmentSilo[]> {
  const { rows } = await db.execute<{
    address: string;
    name: string;
    kind: number;
    region_code: number;
    region_key: number;
    datasets: string;
    unused: string;
    given: string;
    received: string;
    used: boolean;
  }>(sql`
    with ds as (
      select d.owner as org, count(*) as datasets,
             count(*) filter (where not exists (
               select 1 from grants g
                where g.chain_id = d.chain_id and g.dataset_id = d.dataset_id
                  and g.grantee <> d.owner and g.access_count > 0)) as unused
        from datasets d where d.chain_id = ${chainId} group by d.owner),
    given as (select grantor as org, count(*) as n from grants
               where chain_id = ${chainId} and grantee <> grantor group by grantor),
    received as (select grantee as org, count(*) as n from grants
                  where chain_id = ${chainId} and grantee <> grantor group by grantee),
    used as (select distinct owner_org as org from flow_pair_monthly
              where chain_id = ${chainId} and owner_org <> accessor_org)
    select o.address, o.name, o.kind, o.region_code, ${key} as region_key,
           coalesce(ds.datasets, 0)::text as datasets, coalesce(ds.unused, 0)::text as unused,
           coalesce(given.n, 0)::text as given, coalesce(received.n, 0)::text as received,
           used.org is not null as used
      from orgs o
      left join ds on ds.org = o.address
      left join given on given.org = o.address
      left join received on received.org = o.address
      left join used on used.org = o.address
     where o.chain_id = ${chainId} and o.active and o.kind in (${DEPTS}) and ${inScope}`);
  return rows.map((r) => {
    const facts = {
      datasets: Number(r.datasets),
      datasetsUnused: Number(r.unused),
      grantsGiven: Number(r.given),
      grantsReceived: Number(r.received),
      dataUsed: r.used,
    };
    return {
      address: r.address,
      name: r.name,
      kind: Number(r.kind),
      regionCode: Number(r.region_code),
      regionKey: Number(r.region_key),
      ...facts,
      provides: provides(facts),
      consumesOnly: consumesOnly(facts),
      index: siloIndex(facts),
    };
  });
}

async function siloOn(
  chain: DashboardChain,
  db: Db,
  scope: Scope,
  input: { province?: number; top: number },
): Promise<SiloIndex> {
  const level = input.province === undefined ? 'province' : 'city';
  const empty = group(0, []);
  const out: SiloIndex = {
    chainId: chain.chainId,
    level,
    province: input.province ?? null,
    total: empty,
    regions: [],
    kinds: [],
    departments: [],
    trend: [],
  };
  if (chain.chainId === null) return out;
  const id = chain.chainId;
  const inScope = scopedRegionFilter(scope, sql`o.region_code`, input.province);
  const key = regionKey(sql`o.region_code`, level);
  const [depts, trend] = await Promise.all([
    departmentFacts(db, id, inScope, key),
    db.execute<{ month: string; key: number; departments: string; providers: string }>(sql`
      with months as (select distinct month from flow_pair_monthly where chain_id = ${id}),
      prov as (
        select month, owner_org as org from flow_pair_monthly
         where chain_id = ${id} and owner_org <> accessor_org
        union
        select to_char(granted_at at time zone 'Asia/Shanghai', 'YYYY-MM'), grantor from grants
         where chain_id = ${id} and grantee <> grantor)
      select m.month, ${key} as key, count(*)::text as departments,
             count(*) filter (where exists (
               select 1 from prov p where p.month = m.month and p.org = o.address))::text as providers
        from months m
        join orgs o on o.chain_id = ${id} and o.kind in (${DEPTS})
             and to_char(o.registered_at at time zone 'Asia/Shanghai', 'YYYY-MM') <= m.month
       where ${inScope}
       group by 1, 2 order by 1, 2`),
  ]);
  out.total = group(input.province ?? scope.regionCode ?? 0, depts);
  out.regions = groupBy(depts, (d) => d.regionKey);
  out.kinds = groupBy(depts, (d) => d.kind);
  out.departments = [...depts]
    .sort(
      (a, b) =>
        b.index - a.index ||
        b.datasetsUnused - a.datasetsUnused ||
        b.grantsReceived - a.grantsReceived ||
        a.address.localeCompare(b.address),
    )
    .slice(0, input.top);
  out.trend = trend.rows.map((r) => ({
    month: r.month,
    key: Number(r.key),
    departments: Number(r.departments),
    providers: Number(r.providers),
  }));
  return out;
}

/** The data-silo index of the departments in scope (and in `province`, when drilled). */
export function siloIndexFor(
  db: Db,
  scope: Scope,
  input: { chainId?: number; province?: number; top: number },
): Promise<SiloIndex> {
  return readRollups(db, scope, 'silo.index', input, (chain) => siloOn(chain, db, scope, input));
}
