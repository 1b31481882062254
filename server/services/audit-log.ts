import { and, desc, gte, ilike, lt, lte, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { auditLog } from '../../db/schema/audit';
import { scopeCondition, type Scope } from '../scope';

export interface AuditFilter {
  /** Exact action, or a prefix ending in '.' (e.g. `auth.`). */
  action?: string;
  /** Substring of the actor's label (e-mail). */
  actor?: string;
  /** Substring of the target, e.g. `user:` or `incident:42`. */
  target?: string;
  from?: Date;
  to?: Date;
}

export type AuditRow = typeof auditLog.$inferSelect;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function where(f: AuditFilter): SQL | undefined {
  const parts: (SQL | undefined)[] = [
    f.action
      ? f.action.endsWith('.')
        ? ilike(auditLog.action, `${escapeLike(f.action)}%`)
        : ilike(auditLog.action, escapeLike(f.action))
      : undefined,
    f.actor ? ilike(auditLog.actorLabel, `%${escapeLike(f.actor)}%`) : undefined,
    f.target ? ilike(auditLog.target, `%${escapeLike(f.target)}%`) : undefined,
    f.from ? gte(auditLog.at, f.from) : undefined,
    f.to ? lte(auditLog.at, f.to) : undefined,
  ];
  return and(...parts);
}

/**
 * Newest first, keyset-paged by id (`before`). A regional reader sees only rows whose actor was
 * scoped inside their region (services/admin-scope.ts); rows of nation-wide actors, anonymous
 * sign-in failures and the CLI are for nation-wide administrators.
 */
export async function listAudit(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; before?: number },
  scope: Scope,
): Promise<{ rows: AuditRow[]; nextBefore: number | null }> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        where(filter),
        scopeCondition(scope, auditLog.actorRegion),
        page.before ? lt(auditLog.id, page.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return { rows: shown, nextBefore: more ? (shown[shown.length - 1]?.id ?? null) : null };
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor_id',
  'actor',
  'actor_region',
  'action',
  'target',
  'ip',
  'details',
] as const;

/** All matching rows in pages of 1000 (memory stays flat however long the log is). */
export async function* iterateAudit(db: Db, filter: AuditFilter, scope: Scope): AsyncGenerator<AuditRow> {
  let before: number | undefined;
  for (;;) {
    const { rows, nextBefore } = await listAudit(db, filter, { limit: 1000, before }, scope);
    yield* rows;
    if (nextBefore === null) return;
    before = nextBefore;
  }
}

export function auditCsvValues(r: AuditRow): unknown[] {
  return [r.id, r.at, r.actorId, r.actorLabel, r.actorRegion, r.action, r.target, r.ip, r.details];
}
