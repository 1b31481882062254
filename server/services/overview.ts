import { and, between, desc, eq, inArray, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { indexerHealth } from '../../db/schema/chain';
import { incidents, incidentTallies } from '../../db/schema/incidents';
import { orgs } from '../../db/schema/projections';
import { adoptionDaily, flowRegionDaily } from '../../db/schema/rollups';
import { DEPARTMENT_KINDS } from '../../domain/codes';
import { scopeCondition, scopedRegionFilter, type Scope } from '../scope';
import { resolveChain } from './chain-select';
import { flowScope } from './flows-filter';
import { PAIR_REGIONS, pairActivitySql } from './pair-months';
import { cachedRollupReadAsOf } from './rollup-cache';
import { bucketSql, bucketsBetween, resolvePeriod, type PeriodInput, type ResolvedPeriod } from './period';
import type { SummaryFacts } from '../../domain/incident-summary';

export interface Change {
  current: number;
  previous: number;
}

export interface OverviewSummary {
  chainId: number | null;
  period: ResolvedPeriod;
  kpis: {
    records: Change;
    accesses: Change;
    activeDepartments: Change;
    crossDepartmentFlows: Change;
    casesTotal: Change;
    casesOnline: Change;
    jointCases: Change;
    /** Incidents that occurred in the period (by chain time), for the change arrow. */
    incidentsNew: Change;
  };
  /** Unresolved incidents now (open, acknowledged, escalated), by severity. */
  openIncidents: { high: number; medium: number; low: number };
  chain: {
    headBlock: number;
    indexedBlock: number;
    lagBlocks: number;
    lagSeconds: number;
    updatedAt: Date;
  } | null;
  /**
   * The indexed block the KPI figures and sparklines are as of. Right after a commit they may
   * still be the previous answer (at most MAX_STALE_SECONDS of block time behind
   * `chain.indexedBlock`, never from an orphaned block) while the new one is computed; null when
   * nothing is indexed.
   */
  figuresAsOfBlock: number | null;
  spark: {
    granularity: ResolvedPeriod['granularity'];
    points: {
      bucket: string;
      records: number;
      accesses: number;
      cases: number;
      online: number;
      joint: number;
    }[];
  };
}

export const UNRESOLVED = ['open', 'acknowledged', 'escalated'] as const;

const n = (v: unknown): number => Number(v ?? 0);

/**
 * Sums over [prevFrom, to] split into the current and the previous period in one pass. The
 * previous period ends at prevTo, which is not always the day before `from`: month to date is
 * compared with the same days of the month before (1–2 December against 1–2 November), not
 * with all of it.
 */
function cur(p: ResolvedPeriod, day: Column): SQL {
  return sql`${day} >= ${p.from}`;
}
function prev(p: ResolvedPeriod, day: Column): SQL {
  return sql`${day} <= ${p.prevTo}`;
}

async function flowKpis(db: Db, scope: Scope, chainId: number, p: ResolvedPeriod, region?: number) {
  const c = cur(p, flowRegionDaily.day);
  const b = prev(p, flowRegionDaily.day);
  const totals = db
    .select({
      records: sql`sum(${flowRegionDaily.records}) filter (where ${c})`.mapWith(n),
      recordsPrev: sql`sum(${flowRegionDaily.records}) filter (where ${b})`.mapWith(n),
      accesses: sql`sum(${flowRegionDaily.accesses}) filter (where ${c})`.mapWith(n),
      accessesPrev: sql`sum(${flowRegionDaily.accesses}) filter (where ${b})`.mapWith(n),
    })
    .from(flowRegionDaily)
    .where(
      and(
        eq(flowRegionDaily.chainId, chainId),
        between(flowRegionDaily.day, p.prevFrom, p.to),
        flowScope(scope, flowRegionDaily, region),
      ),
    );
  // Distinct pairs and active departments (kinds 1–10) from one row per org pair and month.
  const inScope = (col: SQL) => scopedRegionFilter(scope, col, region);
  const activity = pairActivitySql(chainId, {
    cur: { from: p.from, to: p.to },
    prev: { from: p.prevFrom, to: p.prevTo },
  });
  const distinct = db.execute<{ pairs: string; pairs_prev: string; cur: string; prev: string }>(sql`
    with a as ${activity},
    -- Grouping, not count(distinct (a, b)): hashing beats sorting row values (≈ 4× here).
    pairs as (
      select count(*) filter (where cur) as pairs, count(*) filter (where prev) as pairs_prev
      from (
        select bool_or(cur) as cur, bool_or(prev) as prev from a
        where owner_org <> accessor_org and ${flowScope(scope, PAIR_REGIONS, region)}
        group by owner_org, accessor_org
      ) g
    ),
    sides as (
      select owner_org as org, owner_region as region, cur, prev from a
      union all
      select accessor_org, accessor_region, cur, prev from a
    ),
    active as (
      select s.org, bool_or(s.cur) as cur, bool_or(s.prev) as prev
      from sides s where ${inScope(sql`s.region`)} group by s.org
    ),
    depts as (
      select count(*) filter (where x.cur) as cur, count(*) filter (where x.prev) as prev
      from active x join ${orgs} o on o.chain_id = ${chainId} and o.address = x.org
      where o.kind in (${sql.join(
        DEPARTMENT_KINDS.map((k) => sql`${k}`),
        sql`, `,
      )})
    )
    select pairs.pairs, pairs.pairs_prev, depts.cur, depts.prev from pairs, depts`);
  const [[row], d] = await Promise.all([totals, distinct]);
  const a = d.rows[0];
  return {
    records: { current: row?.records ?? 0, previous: row?.recordsPrev ?? 0 },
    accesses: { current: row?.accesses ?? 0, previous: row?.accessesPrev ?? 0 },
    crossDepartmentFlows: { current: n(a?.pairs), previous: n(a?.pairs_prev) },
    activeDepartments: { current: n(a?.cur), previous: n(a?.prev) },
  };
}

async function adoptionKpis(db: Db, scope: Scope, chainId: number, p: ResolvedPeriod, region?: number) {
  const c = cur(p, adoptionDaily.day);
  const b = prev(p, adoptionDaily.day);
  const online = sql`${adoptionDaily.casesWeb} + ${adoptionDaily.casesMobile}`;
  const [row] = await db
    .select({
      cases: sql`sum(${adoptionDaily.casesTotal}) filter (where ${c})`.mapWith(n),
      casesPrev: sql`sum(${adoptionDaily.casesTotal}) filter (where ${b})`.mapWith(n),
      online: sql`sum(${online}) filter (where ${c})`.mapWith(n),
      onlinePrev: sql`sum(${online}) filter (where ${b})`.mapWith(n),
      joint: sql`sum(${adoptionDaily.jointCases}) filter (where ${c})`.mapWith(n),
      jointPrev: sql`sum(${adoptionDaily.jointCases}) filter (where ${b})`.mapWith(n),
    })
    .from(adoptionDaily)
    .where(
      and(
        eq(adoptionDaily.chainId, chainId),
        between(adoptionDaily.day, p.prevFrom, p.to),
        scopedRegionFilter(scope, adoptionDaily.regionCode, region),
      ),
    );
  return {
    casesTotal: { current: row?.cases ?? 0, previous: row?.casesPrev ?? 0 },
    casesOnline: { current: row?.online ?? 0, previous: row?.onlinePrev ?? 0 },
    jointCases: { current: row?.joint ?? 0, previous: row?.jointPrev ?? 0 },
  };
}

/**
 * What is read fresh on every overview load (incident counts change on triage without the cursor
 * moving; the chain's health with every poll): unresolved incidents by severity, incidents new in
 * the period and the one before, and the chain's health row, in one round trip: three statements
 * were three queries of every page load at fifty users.
 */
async function liveFigures(db: Db, scope: Scope, chainId: number, p: ResolvedPeriod, region?: number) {
  // Counted from the incidents' tallies (db/schema/incidents.ts), not over every incident.
  const t = incidentTallies;
  const where = and(eq(t.chainId, chainId), scopedRegionFilter(scope, t.regionCode, region));
  const open = db
    .select({ severity: t.severity, count: sql`sum(${t.count})`.as('count') })
    .from(t)
    .where(and(where, inArray(t.status, [...UNRESOLVED])))
    .groupBy(t.severity);
  const fresh = db
    .select({
      cur: sql`coalesce(sum(${t.count}) filter (where ${t.day} >= ${p.from}), 0)`.as('cur'),
      prev: sql`coalesce(sum(${t.count}) filter (where ${t.day} <= ${p.prevTo}), 0)`.as('prev'),
    })
    .from(t)
    .where(and(where, between(t.day, p.prevFrom, p.to)));
  const h = indexerHealth;
  const { rows } = await db.execute<{
    open: { severity: string; count: number }[] | null;
    cur: string;
    prev: string;
    head_block: string | null;
    indexed_block: string | null;
    lag_blocks: string | null;
    lag_seconds: number | null;
    updated_ms: string | null;
  }>(sql`
    select (select json_agg(o) from (${open}) o) as open, f.cur, f.prev,
           ${h.headBlock} as head_block, ${h.indexedBlock} as indexed_block, ${h.lagBlocks} as lag_blocks,
           ${h.lagSeconds} as lag_seconds, floor(extract(epoch from ${h.updatedAt}) * 1000)::bigint as updated_ms
    from (${fresh}) f left join ${h} on ${h.chainId} = ${chainId}`);
  const r = rows[0];
  const bySeverity = { high: 0, medium: 0, low: 0 };
  for (const o of r?.open ?? [])
    if (o.severity in bySeverity) bySeverity[o.severity as keyof typeof bySeverity] = Number(o.count);
  return {
    openIncidents: bySeverity,
    incidentsNew: { current: n(r?.cur), previous: n(r?.prev) },
    chain:
      r && r.head_block !== null && r.updated_ms !== null
        ? {
            headBlock: Number(r.head_block),
            indexedBlock: Number(r.indexed_block),
            lagBlocks: Number(r.lag_blocks),
            lagSeconds: Number(r.lag_seconds),
            updatedAt: new Date(Number(r.updated_ms)),
          }
        : null,
  };
}

async function sparklines(db: Db, scope: Scope, chainId: number, p: ResolvedPeriod, region?: number) {
  const g = p.granularity;
  const points = bucketsBetween(p.from, p.to, g).map((bucket) => ({
    bucket,
    records: 0,
    accesses: 0,
    cases: 0,
    online: 0,
    joint: 0,
  }));
  const byBucket = new Map(points.map((x) => [x.bucket, x]));
  const fb = bucketSql(flowRegionDaily.day, g);
  const flows = await db
    .select({
      bucket: fb,
      records: sql`sum(${flowRegionDaily.records})`.mapWith(n),
      accesses: sql`sum(${flowRegionDaily.accesses})`.mapWith(n),
    })
    .from(flowRegionDaily)
    .where(
      and(
        eq(flowRegionDaily.chainId, chainId),
        between(flowRegionDaily.day, p.from, p.to),
        flowScope(scope, flowRegionDaily, region),
      ),
    )
    .groupBy(fb);
  for (const r of flows)
    Object.assign(byBucket.get(r.bucket) ?? {}, { records: r.records, accesses: r.accesses });
  const ab = bucketSql(adoptionDaily.day, g);
  const adoption = await db
    .select({
      bucket: ab,
      cases: sql`sum(${adoptionDaily.casesTotal})`.mapWith(n),
      online: sql`sum(${adoptionDaily.casesWeb} + ${adoptionDaily.casesMobile})`.mapWith(n),
      joint: sql`sum(${adoptionDaily.jointCases})`.mapWith(n),
    })
    .from(adoptionDaily)
    .where(
      and(
        eq(adoptionDaily.chainId, chainId),
        between(adoptionDaily.day, p.from, p.to),
        scopedRegionFilter(scope, adoptionDaily.regionCode, region),
      ),
    )
    .groupBy(ab);
  for (const r of adoption)
    Object.assign(byBucket.get(r.bucket) ?? {}, { cases: r.cases, online: r.online, joint: r.joint });
  return { granularity: g, points };
}

/** The KPI cards of 总览 with their change against the previous equal period, and sparklines. */
export async function overviewSummary(
  db: Db,
  scope: Scope,
  input: PeriodInput & { chainId?: number; region?: number },
): Promise<OverviewSummary> {
  const chain = await resolveChain(db, input.chainId);
  const period = resolvePeriod(input, chain.latestDay);
  const zero = { current: 0, previous: 0 };
  if (chain.chainId === null)
    return {
      chainId: null,
      period,
      kpis: {
        records: zero,
        accesses: zero,
        activeDepartments: zero,
        crossDepartmentFlows: zero,
        casesTotal: zero,
        casesOnline: zero,
        jointCases: zero,
        incidentsNew: zero,
      },
      openIncidents: { high: 0, medium: 0, low: 0 },
      chain: null,
      figuresAsOfBlock: null,
      spark: { granularity: period.granularity, points: [] },
    };
  const id = chain.chainId;
  // Rollup figures are shared across callers of the same scope and indexed data; incident counts
  // change on triage without the cursor moving, so they are read fresh.
  const key = ['overview.summary', scope.regionCode, input.region ?? null, period];
  const [
    {
      value: [f, a, spark],
      asOf,
    },
    live,
  ] = await Promise.all([
    cachedRollupReadAsOf(db, chain, key, () =>
      Promise.all([
        flowKpis(db, scope, id, period, input.region),
        adoptionKpis(db, scope, id, period, input.region),
        sparklines(db, scope, id, period, input.region),
      ]),
    ),
    liveFigures(db, scope, id, period, input.region),
  ]);
  return {
    chainId: id,
    period,
    kpis: { ...f, ...a, incidentsNew: live.incidentsNew },
    openIncidents: live.openIncidents,
    chain: live.chain,
    figuresAsOfBlock: asOf?.block ?? null,
    spark,
  };
}

export interface IncidentBrief {
  id: number;
  rule: string;
  severity: string;
  status: string;
  regionCode: number;
  summary: string;
  facts: SummaryFacts | null;
  occurredAt: Date;
  detectedAt: Date;
}

/** The newest unresolved high-severity incidents in scope, for the overview's list. */
export async function latestHighIncidents(
  db: Db,
  scope: Scope,
  input: { chainId?: number; limit: number },
): Promise<IncidentBrief[]> {
  const chain = await resolveChain(db, input.chainId);
  if (chain.chainId === null) return [];
  return db
    .select({
      id: incidents.id,
      rule: incidents.rule,
      severity: incidents.severity,
      status: incidents.status,
      regionCode: incidents.regionCode,
      summary: incidents.summary,
      facts: incidents.facts,
      occurredAt: incidents.occurredAt,
      detectedAt: incidents.detectedAt,
    })
    .from(incidents)
    .where(
      and(
        eq(incidents.chainId, chain.chainId),
        eq(incidents.severity, 'high'),
        inArray(incidents.status, [...UNRESOLVED]),
        scopeCondition(scope, incidents.regionCode),
      ),
    )
    .orderBy(desc(incidents.occurredAt), desc(incidents.id))
    .limit(input.limit);
}
