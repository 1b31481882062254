import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { incidents } from './incidents';

/**
 * One webhook delivery per high-severity incident: Postgres remembers what was sent, so a restart
 * or an emptied Redis neither loses an alert nor sends one twice.
 */
export const alertDeliveries = pgTable(
  'alert_deliveries',
  {
    incidentId: integer('incident_id')
      .primaryKey()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    status: varchar('status', { length: 12 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('alert_deliveries_status_idx').on(t.status)],
);
