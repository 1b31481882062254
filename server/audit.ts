import type { Db } from '../db/client';
import { auditLog } from '../db/schema/audit';

/** A database handle or an open transaction: anything that can insert. */
export type Writer = Pick<Db, 'insert'>;

export interface AuditActor {
  /** users.id, or null for anonymous (unknown e-mail at sign-in) and the CLI. */
  id: string | null;
  /** e-mail or `cli`: what a reader of the log recognises. */
  label: string;
}

export interface AuditEntry {
  actor: AuditActor;
  /** Dotted verb: `auth.sign_in`, `auth.sign_in_failed`, `user.create`, `token.revoke`, `incidents.export`, … */
  action: string;
  /** What was acted on: `user:<id>`, `token:<id>`, `incident:<id>`; null when nothing in particular. */
  target?: string | null;
  /** Small JSON: filters of an export, from/to of a change. Never secrets. */
  details?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends one audit row. Call it with the transaction that makes the change, so the change and its
 * record commit (or roll back) together: `db.transaction(async (tx) => { …; await writeAudit(tx, e) })`.
 */
export async function writeAudit(tx: Writer, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actor.id,
    actorLabel: entry.actor.label.slice(0, 320),
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? {},
    ip: entry.ip?.slice(0, 64) ?? null,
  });
}

export const CLI_ACTOR: AuditActor = { id: null, label: 'cli' };
