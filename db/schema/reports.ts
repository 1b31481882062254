import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

/** PDF bytes. pg hands bytea over as a Buffer both ways. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Adoption reports for leadership (DESIGN §1): one row per generation, so the history shows every
 * report handed out. `figures` is the whole computed content (the HTML and PDF are renderings of
 * it); `figuresSha256` lets a reader see at a glance that two generations agree.
 */
export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    chainId: integer('chain_id').notNull(),
    /** GB/T 2260 code of a province or city; 0 = the whole nation. */
    regionCode: integer('region_code').notNull(),
    /** '2026-09' (month), '2026-Q3' (quarter) or '2026' (year), in Asia/Shanghai days. */
    period: varchar('period', { length: 7 }).notNull(),
    /** 'manual' (web), 'cli' or 'scheduled' (BullMQ). */
    trigger: varchar('trigger', { length: 12 }).notNull(),
    generatedBy: text('generated_by').notNull(),
    /** 'zh' | 'en': the language the HTML (and PDF) was rendered in; figures are the same. */
    lang: varchar('lang', { length: 2 }).notNull().default('zh'),
    generatedAt: timestamp('generated_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    figures: jsonb('figures').$type<Record<string, unknown>>().notNull(),
    figuresSha256: varchar('figures_sha256', { length: 64 }).notNull(),
    html: text('html').notNull(),
    /** Printed by Chromium on first download (or eagerly by the scheduled job). */
    pdf: bytea('pdf'),
  },
  (t) => [
    index('reports_region_period_idx').on(t.chainId, t.regionCode, t.period, t.generatedAt),
    index('reports_generated_at_idx').on(t.generatedAt),
    // A scheduled run retried by BullMQ must not store its report twice.
    uniqueIndex('reports_scheduled_uq')
      .on(t.chainId, t.regionCode, t.period)
      .where(sql`${t.trigger} = 'scheduled'`),
  ],
);
