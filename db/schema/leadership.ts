import { sql } from 'drizzle-orm';
import {
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { reports } from './reports';

/**
 * Adoption targets leadership was set: one value per region × metric, to reach by `targetDate`.
 * A new target for the same region and metric replaces the old one (the audit log keeps history).
 */
export const adoptionTargets = pgTable(
  'adoption_targets',
  {
    id: serial('id').primaryKey(),
    /** GB/T 2260 code of a province or city. */
    regionCode: integer('region_code').notNull(),
    /** One of TARGET_METRICS (domain/targets.ts). */
    metric: varchar('metric', { length: 24 }).notNull(),
    /** A share as a fraction (0.85) or a count. */
    value: doublePrecision('value').notNull(),
    /** Asia/Shanghai calendar day by which the value is to be reached. */
    targetDate: date('target_date', { mode: 'string' }).notNull(),
    setBy: text('set_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [uniqueIndex('adoption_targets_region_metric_uq').on(t.regionCode, t.metric)],
);

/** A user's standing order for a region's monthly or quarterly report by e-mail. */
export const reportSubscriptions = pgTable(
  'report_subscriptions',
  {
    id: serial('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 0 = the nation; otherwise a province or city inside the user's scope. */
    regionCode: integer('region_code').notNull(),
    /** 'month' | 'quarter' */
    kind: varchar('kind', { length: 8 }).notNull(),
    /** 'zh' | 'en': the language of the PDF sent. */
    lang: varchar('lang', { length: 2 }).notNull().default('zh'),
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [uniqueIndex('report_subscriptions_uq').on(t.userId, t.regionCode, t.kind)],
);

/**
 * One e-mail of one report to one subscription. Postgres holds the state, so a failed send is
 * retried on schedule (`nextAttemptAt`) after a restart or an emptied Redis, and never sent twice.
 */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: serial('id').primaryKey(),
    subscriptionId: integer('subscription_id')
      .notNull()
      .references(() => reportSubscriptions.id, { onDelete: 'cascade' }),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    /** 'pending' | 'sent' | 'failed' (gave up after the last attempt). */
    status: varchar('status', { length: 8 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    messageId: text('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    uniqueIndex('report_deliveries_uq').on(t.subscriptionId, t.reportId),
    index('report_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);
