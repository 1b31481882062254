import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { DEADLINE_STATES, type DeadlineState } from '../../domain/supervision';

/**
 * The deadline states of domain/supervision.ts `deadlineState` as SQL over `supervision_cases sc`,
 * for filters and figures: the same rule, evaluated in the database at `now`.
 */
export function stateCondition(state: DeadlineState | 'open', now: Date): SQL {
  const ref = sql`(case when sc.stage = 'answered' and sc.answered_at is not null then sc.answered_at else ${now.toISOString()}::timestamptz end)`;
  switch (state) {
    case 'open':
      return sql`sc.stage <> 'closed'`;
    case 'red':
      return sql`(sc.stage <> 'closed' and ${ref} >= sc.due_at)`;
    case 'yellow':
      return sql`(sc.stage <> 'closed' and ${ref} >= sc.warn_at and ${ref} < sc.due_at)`;
    case 'ontime':
      return sql`(sc.stage <> 'closed' and ${ref} < sc.warn_at)`;
    case 'closed':
      return sql`(sc.stage = 'closed' and not coalesce(sc.closed_late, false))`;
    case 'late':
      return sql`(sc.stage = 'closed' and coalesce(sc.closed_late, false))`;
  }
}

/** The list's supervision filters (all optional, all in the URL). */
export const supervisionFilterShape = {
  /** The assignee (exact, as stored: an e-mail). */
  assignee: z.string().trim().min(1).max(320).optional(),
  /** The responsible department (责任单位), a 0x address. */
  dept: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address of 40 hex digits')
    .transform((s) => s.toLowerCase())
    .optional(),
  /** Deadline state; `open` = any case not yet closed. */
  deadline: z.enum([...DEADLINE_STATES, 'open']).optional(),
  /** Escalation level (0 = not escalated). */
  escalation: z.coerce.number().int().min(0).max(3).optional(),
};

export interface SupervisionFilter {
  dept?: string;
  deadline?: DeadlineState | 'open';
  escalation?: number;
}

/** `exists` over the incident's case, or null when no supervision filter is set. */
export function supervisionCondition(f: SupervisionFilter, incidentId: SQL, now: Date): SQL | null {
  const parts: SQL[] = [];
  if (f.dept) parts.push(sql`sc.responsible_org = ${f.dept}`);
  if (f.deadline) parts.push(stateCondition(f.deadline, now));
  if (f.escalation !== undefined) parts.push(sql`sc.escalation_level = ${f.escalation}`);
  if (parts.length === 0) return null;
  return sql`exists (select 1 from supervision_cases sc where sc.incident_id = ${incidentId} and ${sql.join(parts, sql` and `)})`;
}
