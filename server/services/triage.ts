import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { incidentActivity, incidents } from '../../db/schema/incidents';
import type { IncidentStatus } from '../../domain/rules';
import { writeAudit, type AuditActor } from '../audit';
import { conflict, invalid, notFound } from '../errors';
import { scopeCondition, type Scope } from '../scope';
import { requireAssignable } from './assignees';
import { incidentConditions, type IncidentFilter } from './incidents-filter';
import { canTransition, NEEDS_COMMENT, sourcesOf } from './triage-transitions';

export interface TriageDeps {
  db: Db;
  scope: Scope;
  actor: AuditActor;
  ip: string | null;
}

/** The rows a bulk action applies to: the ones ticked, or every row the list's filter matches. */
export type BulkTarget = { ids: number[] } | { filter: IncidentFilter };

/**
 * A bulk action locks and rewrites its rows in one transaction; beyond this many it is refused
 * (narrow the filter) rather than holding thousands of row locks against the indexer's writes.
 */
export const BULK_LIMIT = 5_000;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

function requireComment(to: IncidentStatus, comment: string | undefined): void {
  if (NEEDS_COMMENT.includes(to) && !comment)
    throw invalid(`a comment is required to ${to === 'open' ? 'reopen' : 'dismiss'} an incident`, {
      reason: 'comment_required',
    });
}

const lockedColumns = {
  id: incidents.id,
  status: incidents.status,
  assignee: incidents.assignee,
  regionCode: incidents.regionCode,
};

/** One incident of the caller's scope, locked for the change; out of scope reads as not found. */
async function lockOne(tx: Tx, scope: Scope, id: number) {
  const [row] = await tx
    .select(lockedColumns)
    .from(incidents)
    .where(and(eq(incidents.id, id), scopeCondition(scope, incidents.regionCode)))
    .for('update');
  if (!row) throw notFound(`incident ${id}`);
  return row;
}

/** Moves one incident to `to`, with its history row and audit row in one transaction. */
export async function changeStatus(
  d: TriageDeps,
  p: { id: number; to: IncidentStatus; comment?: string },
): Promise<{ id: number; from: string; to: IncidentStatus }> {
  requireComment(p.to, p.comment);
  return d.db.transaction(async (tx) => {
    const row = await lockOne(tx, d.scope, p.id);
    if (!canTransition(row.status, p.to))
      throw conflict(`an incident that is ${row.status} cannot become ${p.to}`);
    await tx
      .update(incidents)
      .set({ status: p.to, updatedAt: sql`now()` })
      .where(eq(incidents.id, p.id));
    await tx.insert(incidentActivity).values({
      incidentId: p.id,
      actor: d.actor.label,
      action: 'status',
      fromStatus: row.status,
      toStatus: p.to,
      comment: p.comment ?? null,
    });
    await writeAudit(tx, {
      actor: d.actor,
      action: 'incident.status',
      target: `incident:${p.id}`,
      details: { from: row.status, to: p.to, comment: p.comment ?? null },
      ip: d.ip,
    });
    return { id: p.id, from: row.status, to: p.to };
  });
}

/**
 * Sets (or clears, with null) the assignee: an active user who may see the incident (see
 * assignees.ts), refused otherwise. The history row's `comment` carries the new assignee
 * ('' when cleared): incident_activity has no column of its own for it.
 */
export async function assign(
  d: TriageDeps,
  p: { id: number; assignee: string | null },
): Promise<{ id: number; assignee: string | null }> {
  return d.db.transaction(async (tx) => {
    const row = await lockOne(tx, d.scope, p.id);
    const assignee = p.assignee === null ? null : await requireAssignable(tx, p.assignee, [row]);
    await tx
      .update(incidents)
      .set({ assignee, updatedAt: sql`now()` })
      .where(eq(incidents.id, p.id));
    await tx.insert(incidentActivity).values({
      incidentId: p.id,
      actor: d.actor.label,
      action: 'assign',
      comment: assignee ?? '',
    });
    await writeAudit(tx, {
      actor: d.actor,
      action: 'incident.assign',
      target: `incident:${p.id}`,
      details: { from: row.assignee, to: assignee },
      ip: d.ip,
    });
    return { id: p.id, assignee };
  });
}

export async function addComment(d: TriageDeps, p: { id: number; comment: string }): Promise<{ id: number }> {
  return d.db.transaction(async (tx) => {
    await lockOne(tx, d.scope, p.id);
    await tx
      .update(incidents)
      .set({ updatedAt: sql`now()` })
      .where(eq(incidents.id, p.id));
    await tx.insert(incidentActivity).values({
      incidentId: p.id,
      actor: d.actor.label,
      action: 'comment',
      comment: p.comment,
    });
    await writeAudit(tx, {
      actor: d.actor,
      action: 'incident.comment',
      target: `incident:${p.id}`,
      details: { comment: p.comment },
      ip: d.ip,
    });
    return { id: p.id };
  });
}

/** The incidents a bulk action (or the bulk bar's assignee picker) applies to, inside the caller's scope. */
export function targetCondition(scope: Scope, t: BulkTarget): SQL {
  return 'ids' in t
    ? (and(inArray(incidents.id, t.ids), scopeCondition(scope, incidents.regionCode)) ?? sql`false`)
    : incidentConditions(t.filter, scope);
}

/** Locks the eligible rows of a bulk action (ids ascending, so two bulk actions never deadlock). */
async function lockMany(tx: Tx, where: SQL) {
  const rows = await tx
    .select(lockedColumns)
    .from(incidents)
    .where(where)
    .orderBy(incidents.id)
    .limit(BULK_LIMIT + 1)
    .for('update');
  if (rows.length > BULK_LIMIT)
    throw invalid(`a bulk action applies to at most ${BULK_LIMIT} incidents; narrow the filter`, {
      reason: 'bulk_too_large',
    });
  return rows;
}

export interface BulkResult {
  /** Incidents the target matched (in scope). */
  matched: number;
  /** Incidents changed: matched and allowed to make the move. */
  changed: number;
  ids: number[];
}

/**
 * Moves every targeted incident whose current status allows it to `to`; the others are left as
 * they are and counted as skipped (matched − changed). One history row per changed incident and
 * one audit row for the action (with the changed ids), all in one transaction.
 */
export async function bulkChangeStatus(
  d: TriageDeps,
  p: { target: BulkTarget; to: IncidentStatus; comment?: string },
): Promise<BulkResult> {
  requireComment(p.to, p.comment);
  return d.db.transaction(async (tx) => {
    const where = targetCondition(d.scope, p.target);
    const [m] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(incidents)
      .where(where);
    const rows = (await lockMany(tx, and(where, inArray(incidents.status, sourcesOf(p.to))) ?? where)).filter(
      (r) => canTransition(r.status, p.to),
    );
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      await tx
        .update(incidents)
        .set({ status: p.to, updatedAt: sql`now()` })
        .where(inArray(incidents.id, ids));
      await tx.insert(incidentActivity).values(
        rows.map((r) => ({
          incidentId: r.id,
          actor: d.actor.label,
          action: 'status',
          fromStatus: r.status,
          toStatus: p.to,
          comment: p.comment ?? null,
        })),
      );
    }
    await writeAudit(tx, {
      actor: d.actor,
      action: 'incident.bulk_status',
      target: null,
      details: { target: p.target, to: p.to, comment: p.comment ?? null, changed: ids.length, ids },
      ip: d.ip,
    });
    return { matched: m?.n ?? 0, changed: ids.length, ids };
  });
}

/**
 * Assigns every targeted incident (that is not already assigned to that person); refused as a
 * whole when the assignee may not see one of them.
 */
export async function bulkAssign(
  d: TriageDeps,
  p: { target: BulkTarget; assignee: string | null },
): Promise<BulkResult> {
  return d.db.transaction(async (tx) => {
    const where = targetCondition(d.scope, p.target);
    const all = await lockMany(tx, where);
    const assignee = p.assignee === null ? null : await requireAssignable(tx, p.assignee, all);
    const rows = all.filter((r) => r.assignee !== assignee);
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      await tx
        .update(incidents)
        .set({ assignee, updatedAt: sql`now()` })
        .where(inArray(incidents.id, ids));
      await tx.insert(incidentActivity).values(
        ids.map((id) => ({
          incidentId: id,
          actor: d.actor.label,
          action: 'assign',
          comment: assignee ?? '',
        })),
      );
    }
    await writeAudit(tx, {
      actor: d.actor,
      action: 'incident.bulk_assign',
      target: null,
      details: { target: p.target, assignee, changed: ids.length, ids },
      ip: d.ip,
    });
    return { matched: all.length, changed: ids.length, ids };
  });
}
