import { appendAudit, type AuditTx } from '../db/audit-chain';

/** A database handle or an open transaction. */
export type Writer = AuditTx;

export interface AuditActor {
  /** users.id, or null for anonymous (unknown e-mail at sign-in) and the CLI. */
  id: string | null;
  /** e-mail or `cli`: what a reader of the log recognises. */
  label: string;
  /**
   * The actor's region scope (null: nation-wide). Recorded with the row so a regional
   * administrator reads only their region's rows. Omitted for anonymous actors and the CLI.
   */
  regionCode?: number | null;
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
 * Appends one audit row, hash-chained to the one before (db/audit-chain.ts). Call it with the
 * transaction that makes the change, so the change and its record commit (or roll back) together:
 * `db.transaction(async (tx) => { …; await writeAudit(tx, e) })`. Call it last in the transaction:
 * it holds the chain head's row lock until commit.
 */
export async function writeAudit(tx: Writer, entry: AuditEntry): Promise<void> {
  await appendAudit(tx, {
    actorId: entry.actor.id,
    actorLabel: entry.actor.label.slice(0, 320),
    actorRegion: entry.actor.regionCode ?? null,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? {},
    ip: entry.ip?.slice(0, 64) ?? null,
  });
}

export const CLI_ACTOR: AuditActor = { id: null, label: 'cli' };
