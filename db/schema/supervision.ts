import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { address } from './columns';
import { incidents } from './incidents';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Days of a loaded working-day calendar (`calendar load FILE`) that differ from Monday–Friday:
 * holidays (working = false) and make-up working days (working = true). A year present here
 * replaces the shipped data of domain/calendar for that year.
 */
export const calendarDays = pgTable('calendar_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  working: boolean('working').notNull(),
  name: text('name').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/** The deployment's supervision settings (one row, id 1); absent = domain defaults. */
export const supervisionSettings = pgTable('supervision_settings', {
  id: smallint('id').primaryKey(),
  deadlineHigh: smallint('deadline_high').notNull(),
  deadlineMedium: smallint('deadline_medium').notNull(),
  deadlineLow: smallint('deadline_low').notNull(),
  /** Percent of the time after which a case turns yellow. */
  warnPercent: smallint('warn_percent').notNull(),
  escalateAfterDays: smallint('escalate_after_days').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/**
 * A supervised case (督办件): one per incident, created by 交办. Deadline marks are instants; a
 * pause (waiting for the regulator's 审核) moves them on when the case is returned.
 */
export const supervisionCases = pgTable(
  'supervision_cases',
  {
    incidentId: integer('incident_id')
      .primaryKey()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** 责任单位: the org that must answer, and its region at hand-over. */
    responsibleOrg: address('responsible_org').notNull(),
    responsibleRegion: integer('responsible_region').notNull(),
    /** 'rule' when derived by RESPONSIBLE_PARTY, 'regulator' when a regulator chose it. */
    responsibleSource: varchar('responsible_source', { length: 12 }).notNull(),
    stage: varchar('stage', { length: 12 }).notNull(),
    instructions: text('instructions').notNull(),
    handedBy: text('handed_by').notNull(),
    handedAt: timestamp('handed_at', { withTimezone: true }).notNull(),
    /** Working days allowed (by severity at hand-over). */
    days: smallint('days').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    warnAt: timestamp('warn_at', { withTimezone: true }).notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    /** Latest 反馈; while the stage is `answered` the clock stands here. */
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** At 办结: was the accepted answer given after the deadline? */
    closedLate: boolean('closed_late'),
    /** Whose queue the case is in: the incident's region, then the levels above (null = nation). */
    supervisingRegion: integer('supervising_region'),
    escalationLevel: smallint('escalation_level').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    index('supervision_cases_org_idx').on(t.responsibleOrg, t.stage),
    index('supervision_cases_due_idx').on(t.stage, t.dueAt),
  ],
);

/** One 反馈 of a department: its text and the digest over text and attachment hashes. */
export const supervisionAnswers = pgTable(
  'supervision_answers',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** SHA-256 (hex) of the text and each attachment's SHA-256, in order: what the history records. */
    digest: varchar('digest', { length: 64 }).notNull(),
  },
  (t) => [index('supervision_answers_incident_idx').on(t.incidentId, t.at)],
);

/** Files of an answer, kept in the database with their SHA-256 and SM3 (small office documents). */
export const supervisionAttachments = pgTable(
  'supervision_attachments',
  {
    id: serial('id').primaryKey(),
    answerId: integer('answer_id')
      .notNull()
      .references(() => supervisionAnswers.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: varchar('content_type', { length: 120 }).notNull(),
    size: integer('size').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    sm3: varchar('sm3', { length: 64 }).notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [index('supervision_attachments_answer_idx').on(t.answerId)],
);

/**
 * Escalations that happened: the key (incident, level) makes each fire once and only once, across
 * restarts and concurrent workers (the insert that wins sends the notices).
 */
export const supervisionEscalations = pgTable(
  'supervision_escalations',
  {
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    level: smallint('level').notNull(),
    fromRegion: integer('from_region'),
    toRegion: integer('to_region'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.level] })],
);

/**
 * Reminders (催办) claimed before sending: one per (incident, kind, deadline), so a restart never
 * sends one twice and a moved deadline may remind again. `sentAt` null = claimed, not yet delivered.
 */
export const supervisionNotices = pgTable(
  'supervision_notices',
  {
    id: serial('id').primaryKey(),
    incidentId: integer('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** yellow | red | escalated */
    kind: varchar('kind', { length: 12 }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    recipients: text('recipients').array().notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('supervision_notices_uq').on(t.incidentId, t.kind, t.dueAt)],
);
