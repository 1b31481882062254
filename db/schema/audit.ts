import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';

/**
 * Append-only audit log. A trigger (migration 'audit_append_only') refuses UPDATE and DELETE,
 * so a row, once committed, stays. Write through server/audit.ts `writeAudit(tx, entry)` in the
 * same transaction as the change it records.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** User id, or null for anonymous actions (failed sign-in of an unknown address, the CLI). */
    actorId: text('actor_id'),
    /** Human-readable actor at the time (e-mail, `cli`), kept even if the user is renamed. */
    actorLabel: text('actor_label').notNull(),
    /** Dotted verb, e.g. `auth.sign_in`, `user.create`, `token.revoke`, `incidents.export`. */
    action: varchar('action', { length: 64 }).notNull(),
    /** What was acted on, e.g. `user:…`, `token:12`, `incident:42`. */
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    ip: varchar('ip', { length: 64 }),
    at: timestamp('at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
    index('audit_log_action_idx').on(t.action, t.at),
  ],
);
