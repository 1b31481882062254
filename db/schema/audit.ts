import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core';

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
    /**
     * The actor's region scope when the row was written (null: nation-wide, anonymous or CLI).
     * A regional administrator reads only the rows of actors inside their region.
     */
    actorRegion: integer('actor_region'),
    /** Dotted verb, e.g. `auth.sign_in`, `user.create`, `token.revoke`, `incidents.export`. */
    action: varchar('action', { length: 64 }).notNull(),
    /** What was acted on, e.g. `user:…`, `token:12`, `incident:42`. */
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    ip: varchar('ip', { length: 64 }),
    at: timestamp('at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    /**
     * Hash chain (server/audit-chain.ts): SM3 over the row's canonical serialisation, which
     * includes the previous row's hash. Null only on rows written before the chain existed.
     */
    prevHash: varchar('prev_hash', { length: 64 }),
    hash: varchar('hash', { length: 64 }),
  },
  (t) => [
    index('audit_log_actor_region_idx').on(t.actorRegion, t.id),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actorId, t.at),
    index('audit_log_action_idx').on(t.action, t.at),
  ],
);

/**
 * The head of the audit log's hash chain: one row, locked FOR UPDATE by every append in the same
 * transaction as its insert, so parallel writers form one chain in id order.
 */
export const auditChainHead = pgTable(
  'audit_chain_head',
  {
    id: smallint('id').primaryKey(),
    lastId: bigint('last_id', { mode: 'number' }),
    lastHash: varchar('last_hash', { length: 64 }).notNull(),
  },
  (t) => [check('audit_chain_head_single_row', sql`${t.id} = 1`)],
);
