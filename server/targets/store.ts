import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { adoptionTargets } from '../../db/schema/leadership';
import type { TargetCsvRow, TargetMetric } from '../../domain/targets';
import { writeAudit, type AuditActor } from '../audit';
import { forbidden, invalid, notFound } from '../errors';
import { inScope, scopeCondition, type Scope } from '../scope';
import { targetRegionProblem } from './csv';

export interface StoredTarget {
  id: number;
  regionCode: number;
  metric: TargetMetric;
  value: number;
  targetDate: string;
  setBy: string;
  updatedAt: Date;
}

/** Targets in the caller's scope, by region then metric. */
export async function listTargets(db: Db, scope: Scope): Promise<StoredTarget[]> {
  const rows = await db
    .select()
    .from(adoptionTargets)
    .where(scopeCondition(scope, adoptionTargets.regionCode))
    .orderBy(adoptionTargets.regionCode, adoptionTargets.metric);
  return rows.map((r) => ({ ...r, metric: r.metric as TargetMetric }));
}

/**
 * Sets (inserts or replaces) targets. A scoped admin sets targets only inside their region: one
 * row outside it refuses the whole batch. The rows and their audit entry commit together.
 */
export async function upsertTargets(
  db: Db,
  o: { scope: Scope; actor: AuditActor; ip?: string | null; rows: TargetCsvRow[]; source: 'web' | 'cli' },
): Promise<{ upserted: number }> {
  for (const r of o.rows) {
    const problem = targetRegionProblem(r.regionCode);
    if (problem) throw invalid(`region ${r.regionCode}: ${problem}`);
    if (!inScope(o.scope, r.regionCode)) throw forbidden(`region ${r.regionCode} is outside your scope`);
  }
  await db.transaction(async (tx) => {
    for (const r of o.rows) {
      await tx
        .insert(adoptionTargets)
        .values({ ...r, setBy: o.actor.label })
        .onConflictDoUpdate({
          target: [adoptionTargets.regionCode, adoptionTargets.metric],
          set: { value: r.value, targetDate: r.targetDate, setBy: o.actor.label, updatedAt: sql`now()` },
        });
    }
    await writeAudit(tx, {
      actor: o.actor,
      ip: o.ip ?? null,
      action: 'targets.set',
      target: null,
      details: { source: o.source, rows: o.rows.slice(0, 200) },
    });
  });
  return { upserted: o.rows.length };
}

export async function deleteTarget(
  db: Db,
  o: { scope: Scope; actor: AuditActor; ip?: string | null; id: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(adoptionTargets)
      .where(and(eq(adoptionTargets.id, o.id), scopeCondition(o.scope, adoptionTargets.regionCode)))
      .returning();
    if (!row) throw notFound(`target ${o.id}`);
    await writeAudit(tx, {
      actor: o.actor,
      ip: o.ip ?? null,
      action: 'targets.delete',
      target: `target:${row.id}`,
      details: {
        regionCode: row.regionCode,
        metric: row.metric,
        value: row.value,
        targetDate: row.targetDate,
      },
    });
  });
}
