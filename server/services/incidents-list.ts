import { and, count, desc, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { incidents, incidentTallies } from '../../db/schema/incidents';
import { orgs } from '../../db/schema/projections';
import { supervisionCases } from '../../db/schema/supervision';
import { deadlineState, type DeadlineState } from '../../domain/supervision';
import type { Scope } from '../scope';
import { scopeCondition } from '../scope';
import { incidentConditions, type IncidentFilter } from './incidents-filter';
import { tallyConditions } from './incidents-tally';
import type { SummaryFacts } from '../../domain/incident-summary';

export interface IncidentListRow {
  id: number;
  chainId: number;
  rule: string;
  severity: string;
  status: string;
  regionCode: number;
  orgAddress: Address | null;
  orgName: string | null;
  summary: string;
  /** What the summary says, to render it in the page's language (null: older incidents). */
  facts: SummaryFacts | null;
  detectedAt: Date;
  occurredAt: Date;
  assignee: string | null;
  updatedAt: Date;
}

const columns = {
  id: incidents.id,
  chainId: incidents.chainId,
  rule: incidents.rule,
  severity: incidents.severity,
  status: incidents.status,
  regionCode: incidents.regionCode,
  orgAddress: incidents.orgAddress,
  orgName: orgs.name,
  summary: incidents.summary,
  facts: incidents.facts,
  detectedAt: incidents.detectedAt,
  occurredAt: incidents.occurredAt,
  assignee: incidents.assignee,
  updatedAt: incidents.updatedAt,
};

/** A list row with where its 督办 case stands (null: never handed over), so a filtered list shows why each row matched. */
export type IncidentListItem = IncidentListRow & {
  supervision: { state: DeadlineState; escalationLevel: number } | null;
};

const caseColumns = {
  stage: supervisionCases.stage,
  dueAt: supervisionCases.dueAt,
  warnAt: supervisionCases.warnAt,
  answeredAt: supervisionCases.answeredAt,
  closedLate: supervisionCases.closedLate,
  escalationLevel: supervisionCases.escalationLevel,
};

/** Keyset cursor of the list: the last row shown (its block time in epoch ms, and id). */
export interface IncidentCursor {
  at: number;
  id: number;
}

/**
 * One page of the filtered list, latest event first: ordered by the evidence event's block time
 * (when it happened on the chain, not when the indexer saw it — a backfill detects months of
 * incidents in one minute), ties by id. Keyset-paged on (occurred_at, id) after `after`, so a
 * page never shifts when new incidents arrive. `total` is the size of the whole filtered set.
 */
export async function listIncidents(
  db: Db,
  scope: Scope,
  filter: IncidentFilter,
  page: { limit: number; after?: IncidentCursor },
  now: Date = new Date(),
): Promise<{ rows: IncidentListItem[]; next: IncidentCursor | null; total: number }> {
  const where = incidentConditions(filter, scope, now);
  const after = page.after;
  const keyset = after
    ? or(
        lt(incidents.occurredAt, new Date(after.at)),
        and(eq(incidents.occurredAt, new Date(after.at)), lt(incidents.id, after.id)),
      )
    : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select({ ...columns, sc: caseColumns })
      .from(incidents)
      .leftJoin(orgs, and(eq(orgs.chainId, incidents.chainId), eq(orgs.address, incidents.orgAddress)))
      .leftJoin(supervisionCases, eq(supervisionCases.incidentId, incidents.id))
      .where(and(where, keyset))
      .orderBy(desc(incidents.occurredAt), desc(incidents.id))
      .limit(page.limit + 1),
    countFiltered(db, scope, filter, now),
  ]);
  const more = rows.length > page.limit;
  const shown = (more ? rows.slice(0, page.limit) : rows).map(({ sc, ...r }): IncidentListItem => ({
    ...r,
    // A left-joined case comes back with every column null when the incident was never handed over.
    supervision:
      sc?.stage && sc.dueAt && sc.warnAt
        ? {
            state: deadlineState(
              {
                stage: sc.stage,
                dueAt: sc.dueAt.getTime(),
                warnAt: sc.warnAt.getTime(),
                answeredAt: sc.answeredAt?.getTime() ?? null,
                closedLate: sc.closedLate,
              },
              now.getTime(),
            ),
            escalationLevel: sc.escalationLevel ?? 0,
          }
        : null,
  }));
  const last = shown[shown.length - 1];
  return {
    rows: shown,
    next: more && last ? { at: last.occurredAt.getTime(), id: last.id } : null,
    total: totals,
  };
}

/** How many incidents the filter holds at `now` (the list's rows are read at the same instant). */
async function countFiltered(db: Db, scope: Scope, filter: IncidentFilter, now: Date): Promise<number> {
  return (await groupedCounts(db, scope, filter, now)).reduce((s, r) => s + r.n, 0);
}

/**
 * The filtered set counted per (rule, severity, status): from the tallies when they can answer
 * the filter, else one grouped scan of the incidents (scope in SQL).
 */
async function groupedCounts(
  db: Db,
  scope: Scope,
  filter: IncidentFilter,
  now: Date,
): Promise<{ rule: string; severity: string; status: string; n: number }[]> {
  const t = incidentTallies;
  const tallied = tallyConditions(filter, scope);
  if (tallied) {
    const rows = await db
      .select({ rule: t.rule, severity: t.severity, status: t.status, n: sql<string>`sum(${t.count})` })
      .from(t)
      .where(tallied)
      .groupBy(t.rule, t.severity, t.status)
      .having(sql`sum(${t.count}) <> 0`);
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }
  return db
    .select({ rule: incidents.rule, severity: incidents.severity, status: incidents.status, n: count() })
    .from(incidents)
    .where(incidentConditions(filter, scope, now))
    .groupBy(incidents.rule, incidents.severity, incidents.status);
}

const SEVERITY_RANK = ['high', 'medium', 'low'];

export interface IncidentCounts {
  total: number;
  byRule: { rule: string; n: number }[];
  bySeverity: { severity: string; n: number }[];
  byStatus: { status: string; n: number }[];
}

/** Counts of the filtered set by rule, severity and status. */
export async function countIncidents(
  db: Db,
  scope: Scope,
  filter: IncidentFilter,
  now: Date = new Date(),
): Promise<IncidentCounts> {
  const rows = await groupedCounts(db, scope, filter, now);
  const sum = (key: 'rule' | 'severity' | 'status') => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r[key], (m.get(r[key]) ?? 0) + r.n);
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  return {
    total: rows.reduce((s, r) => s + r.n, 0),
    byRule: sum('rule').map(([rule, n]) => ({ rule, n })),
    // Severity in its own order (high first), not by count: the chips read like a scale.
    bySeverity: sum('severity')
      .sort((a, b) => SEVERITY_RANK.indexOf(a[0]) - SEVERITY_RANK.indexOf(b[0]))
      .map(([severity, n]) => ({ severity, n })),
    byStatus: sum('status').map(([status, n]) => ({ status, n })),
  };
}

/**
 * Live alerts: incidents of the given severity detected after `afterId` in the caller's scope
 * (oldest first, at most 20). `afterId: null` only returns the current watermark, so a page opened
 * now shows no toast for what it already lists. A transaction that commits a lower id after a
 * higher one was seen is not toasted (the list still shows it): good enough for a banner.
 */
export async function latestIncidents(
  db: Db,
  scope: Scope,
  p: { afterId: number | null; severity: 'high' | 'medium' | 'low' },
): Promise<{ watermark: number; rows: IncidentListRow[] }> {
  const inScope = scopeCondition(scope, incidents.regionCode);
  if (p.afterId === null) {
    const [m] = await db
      .select({ max: sql<number | null>`max(${incidents.id})` })
      .from(incidents)
      .where(inScope);
    return { watermark: m?.max ?? 0, rows: [] };
  }
  const rows = await db
    .select(columns)
    .from(incidents)
    .leftJoin(orgs, and(eq(orgs.chainId, incidents.chainId), eq(orgs.address, incidents.orgAddress)))
    .where(and(inScope, gt(incidents.id, p.afterId), eq(incidents.severity, p.severity)))
    .orderBy(incidents.id)
    .limit(20);
  return { watermark: rows.reduce((m, r) => Math.max(m, r.id), p.afterId), rows };
}
