import { bigint, index, integer, pgTable, primaryKey, smallint, varchar } from 'drizzle-orm/pg-core';
import { address } from './columns';

/**
 * Data-sharing flows per Asia/Shanghai day × provider org × consumer org × category × sensitivity ×
 * mode. Every flow chart reads this, never the raw events.
 */
export const flowDaily = pgTable(
  'flow_daily',
  {
    chainId: integer('chain_id').notNull(),
    day: varchar('day', { length: 10 }).notNull(),
    ownerOrg: address('owner_org').notNull(),
    accessorOrg: address('accessor_org').notNull(),
    category: integer('category').notNull(),
    sensitivity: smallint('sensitivity').notNull(),
    mode: smallint('mode').notNull(),
    /** Region codes of the two orgs (0 when the org is unregistered). */
    ownerRegion: integer('owner_region').notNull(),
    accessorRegion: integer('accessor_region').notNull(),
    accesses: integer('accesses').notNull(),
    records: bigint('records', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.chainId, t.day, t.ownerOrg, t.accessorOrg, t.category, t.sensitivity, t.mode],
    }),
    // No index of its own on (chain_id, day): the primary key starts with it, and each index
    // costs the backfill one more insert per flow row.
    index('flow_daily_owner_region_idx').on(t.chainId, t.ownerRegion, t.day),
    index('flow_daily_accessor_region_idx').on(t.chainId, t.accessorRegion, t.day),
  ],
);

/** Completed cases per Asia/Shanghai day × region (the case's regionCode). */
export const adoptionDaily = pgTable(
  'adoption_daily',
  {
    chainId: integer('chain_id').notNull(),
    day: varchar('day', { length: 10 }).notNull(),
    regionCode: integer('region_code').notNull(),
    casesTotal: integer('cases_total').notNull(),
    casesWindow: integer('cases_window').notNull(),
    casesWeb: integer('cases_web').notNull(),
    casesMobile: integer('cases_mobile').notNull(),
    jointCases: integer('joint_cases').notNull(),
    durationMinutesTotal: bigint('duration_minutes_total', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.day, t.regionCode] }),
    index('adoption_daily_day_idx').on(t.chainId, t.day),
  ],
);

/** Service items listed per day × region × online level (breadth of online service over time). */
export const itemsDaily = pgTable(
  'items_daily',
  {
    chainId: integer('chain_id').notNull(),
    day: varchar('day', { length: 10 }).notNull(),
    regionCode: integer('region_code').notNull(),
    onlineLevel: smallint('online_level').notNull(),
    listings: integer('listings').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.day, t.regionCode, t.onlineLevel] })],
);

/** Events per day × contract × event name: the chain page's activity chart. */
export const eventsDaily = pgTable(
  'events_daily',
  {
    chainId: integer('chain_id').notNull(),
    day: varchar('day', { length: 10 }).notNull(),
    eventName: varchar('event_name', { length: 32 }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.day, t.eventName] })],
);

/** Records per Asia/Shanghai day × accessor × dataset: the series VOLUME_SPIKE compares. */
export const accessDaily = pgTable(
  'access_daily',
  {
    chainId: integer('chain_id').notNull(),
    day: varchar('day', { length: 10 }).notNull(),
    accessor: address('accessor').notNull(),
    datasetId: varchar('dataset_id', { length: 66 }).notNull(),
    accesses: integer('accesses').notNull(),
    records: bigint('records', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.accessor, t.datasetId, t.day] }),
    index('access_daily_day_idx').on(t.chainId, t.day),
  ],
);

/**
 * flow_daily without the org pair, category and sensitivity: per day × provider region × consumer
 * region × mode (≈ 1.3k rows a day at the large scale, against ≈ 12.5k in flow_daily). Totals,
 * time series and region flows read this unless the user filters by category or sensitivity.
 */
export const flowRegionDaily = pgTable(
  'flow_region_daily',
  {
    chainId: integer('chain_id').notNull(),
    day: varchar('day', { length: 10 }).notNull(),
    ownerRegion: integer('owner_region').notNull(),
    accessorRegion: integer('accessor_region').notNull(),
    mode: smallint('mode').notNull(),
    accesses: integer('accesses').notNull(),
    records: bigint('records', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({
      name: 'flow_region_daily_pk',
      columns: [t.chainId, t.day, t.ownerRegion, t.accessorRegion, t.mode],
    }),
  ],
);

/**
 * Each provider → consumer org pair per month: which days it exchanged data (bit d-1 of `dayMask`
 * is day d) and running totals of accesses and records by day. Distinct pairs, distinct active
 * orgs and per-pair sums over any period are exact from one row per pair and month (≈ 6k pairs
 * at the large scale), where flow_daily needs every day's rows (≈ 12.5k a day). Migration 0021
 * adds `flow_pair_monthly_days_idx` (keys and day_mask, for index-only scans), which drizzle's
 * index builder cannot express.
 */
export const flowPairMonthly = pgTable(
  'flow_pair_monthly',
  {
    chainId: integer('chain_id').notNull(),
    /** 'YYYY-MM' of the Asia/Shanghai day. */
    month: varchar('month', { length: 7 }).notNull(),
    ownerOrg: address('owner_org').notNull(),
    accessorOrg: address('accessor_org').notNull(),
    ownerRegion: integer('owner_region').notNull(),
    accessorRegion: integer('accessor_region').notNull(),
    dayMask: integer('day_mask').notNull(),
    /**
     * Running totals within the month: element d (1-based) sums days 1..d. Any day range of the
     * month is then `cum[hi] - cum[lo - 1]`, one subtraction per pair instead of a row per day,
     * so the Sankey of org pairs over any period reads ≈ 6k rows a month at the large scale.
     */
    accessesCum: bigint('accesses_cum', { mode: 'number' }).array().notNull(),
    recordsCum: bigint('records_cum', { mode: 'number' }).array().notNull(),
  },
  // Regions are in the key as in flow_daily: an org that registers mid-month (region 0 before)
  // counts in both, exactly as flow_daily would count it.
  (t) => [
    primaryKey({
      name: 'flow_pair_monthly_pk',
      columns: [t.chainId, t.month, t.ownerOrg, t.accessorOrg, t.ownerRegion, t.accessorRegion],
    }),
  ],
);
