import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import type { SummaryFacts } from '../../domain/incident-summary';
import { address, hash } from './columns';

/**
 * One finding of a rule of DESIGN §5. `findingKey` names the finding (rule + the events it rests
 * on), so re-running detection over the same events never makes a second incident.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: serial('id').primaryKey(),
    chainId: integer('chain_id').notNull(),
    rule: varchar('rule', { length: 40 }).notNull(),
    findingKey: varchar('finding_key', { length: 200 }).notNull(),
    severity: varchar('severity', { length: 8 }).notNull(),
    status: varchar('status', { length: 16 }).notNull().default('open'),
    /** The acting org's region (0 when the actor is unregistered and no region is known). */
    regionCode: integer('region_code').notNull(),
    orgAddress: address('org_address'),
    summary: text('summary').notNull(),
    /**
     * What the summary says (domain/incident-summary.ts), so each page renders it in its own
     * language; null for incidents detected before facts were kept (their `summary` stands).
     */
    facts: jsonb('facts').$type<SummaryFacts>(),
    /** Highest block among the evidence: a reorg below it removes the incident. */
    evidenceBlock: bigint('evidence_block', { mode: 'number' }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
    assignee: text('assignee'),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    uniqueIndex('incidents_finding_uq').on(t.chainId, t.rule, t.findingKey),
    index('incidents_region_idx').on(t.chainId, t.regionCode, t.detectedAt),
    // The list's order and the from/to filter (block time of the evidence, DESIGN §6).
    index('incidents_occurred_idx').on(t.occurredAt, t.id),
    index('incidents_status_idx').on(t.status, t.severity),
    index('incidents_evidence_block_idx').on(t.chainId, t.evidenceBlock),
    // An org's page: its incidents, newest first, and how many (a flood of 400k incidents made
    // both a scan: 288 ms to count one org's, 154 ms to find an org has none).
    index('incidents_org_idx').on(t.chainId, t.orgAddress, t.id),
  ],
);

/**
 * Incidents counted by chain, region, rule, severity, status and Asia/Shanghai day of `occurred_at`, as
 * changes: statement triggers on `incidents` (migration 0028) append what each insert, update or
 * delete added or took away, and compactTallies (workers/incidents/tallies.ts) folds them into one
 * row per key now and then. A reader sums them. What the overview shows on every load
 * (unresolved incidents by severity, new ones in the period) is read from a few hundred rows
 * instead of counted over every incident: a flood of 400k made each load 280 ms. Appended, never
 * updated in place: two writers never wait on each other's counts, nor lock them in opposite order.
 */
export const incidentTallies = pgTable('incident_tallies', {
  chainId: integer('chain_id').notNull(),
  regionCode: integer('region_code').notNull(),
  rule: varchar('rule', { length: 40 }).notNull(),
  severity: varchar('severity', { length: 8 }).notNull(),
  status: varchar('status', { length: 16 }).notNull(),
  /** YYYY-MM-DD in Asia/Shanghai */
  day: varchar('day', { length: 10 }).notNull(),
  /** Incidents added (negative: taken away) under this key. */
  count: bigint('count', { mode: 'number' }).notNull(),
});

/** The (txHash, blockNumber, logIndex) of every event an incident rests on. */
export const incidentEvidence = pgTable(
  'incident_evidence',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    chainId: integer('chain_id').notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
    logIndex: integer('log_index').notNull(),
    txHash: hash('tx_hash').notNull(),
    /** The evidence block's time: the month this row is partitioned by (db/partitions.ts). */
    blockTime: timestamp('block_time', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.blockNumber, t.logIndex, t.blockTime] })],
);

/** Triage history: every status change, assignment and comment, with who and when. */
export const incidentActivity = pgTable(
  'incident_activity',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    actor: text('actor').notNull(),
    action: varchar('action', { length: 24 }).notNull(),
    fromStatus: varchar('from_status', { length: 16 }),
    toStatus: varchar('to_status', { length: 16 }),
    comment: text('comment'),
    at: timestamp('at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('incident_activity_incident_idx').on(t.incidentId, t.at)],
);
