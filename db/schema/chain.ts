import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  varchar,
} from 'drizzle-orm/pg-core';
import { address, hash } from './columns';

/**
 * Logs of the watched contracts that carry a declared event topic but do not decode (wrong topic
 * count, short or garbled data, a declared event from the wrong contract). Any member can send
 * them, so they must not stop the indexer: each is kept here byte for byte and raised as a
 * MALFORMED_LOG incident (docs/rules.md), and indexing goes on.
 */
export const malformedLogs = pgTable(
  'malformed_logs',
  {
    chainId: integer('chain_id').notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
    logIndex: integer('log_index').notNull(),
    txHash: hash('tx_hash').notNull(),
    address: address('address').notNull(),
    /** The raw topics, 0x-hex as the node sent them. */
    topics: jsonb('topics').$type<string[]>().notNull(),
    /** The raw data, 0x-hex as the node sent it. */
    data: text('data').notNull(),
    reason: varchar('reason', { length: 300 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.blockNumber, t.logIndex] })],
);

/** Block headers of every block that holds an indexed event or closes a range (reorg checks). */
export const blocks = pgTable(
  'blocks',
  {
    chainId: integer('chain_id').notNull(),
    number: bigint('number', { mode: 'number' }).notNull(),
    hash: hash('hash').notNull(),
    parentHash: hash('parent_hash').notNull(),
    timestamp: timestamp('timestamp', { withTimezone: true }).notNull(),
  },
  // Partitioned by month of `timestamp` (db/partitions.ts): the key must hold the partition key.
  (t) => [primaryKey({ columns: [t.chainId, t.number, t.timestamp] })],
);

/**
 * The contracts' addresses by number, for the rows that name one by number (accesses.address_id):
 * every DataAccessed of a deployment comes from the same contract, and 42 characters in each of
 * millions of rows cost the backfill more than the view chain_events' lookup of the number costs
 * its readers (a scalar subquery per row shown, migration 0024).
 */
export const contractAddresses = pgTable(
  'contract_addresses',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    chainId: integer('chain_id').notNull(),
    address: address('address').notNull(),
  },
  (t) => [unique('contract_addresses_chain_address_key').on(t.chainId, t.address)],
);

/** Raw decoded events, keyed by chain coordinates so a retried range writes nothing twice. */
export const events = pgTable(
  'events',
  {
    chainId: integer('chain_id').notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
    logIndex: integer('log_index').notNull(),
    txHash: hash('tx_hash').notNull(),
    txIndex: integer('tx_index').notNull(),
    blockTime: timestamp('block_time', { withTimezone: true }).notNull(),
    contract: varchar('contract', { length: 32 }).notNull(),
    address: address('address').notNull(),
    eventName: varchar('event_name', { length: 32 }).notNull(),
    /**
     * Decoded fields; uint256 values as decimal strings, addresses and hashes lower-case. `json`,
     * not `jsonb`: every reader only extracts fields (`->>`, which json has too) and the backfill
     * pays jsonb's parse-and-rebuild on every row (≈ 25% of a raw row's COPY cost here).
     */
    args: json('args').$type<Record<string, string | number>>().notNull(),
  },
  (t) => [
    // Partitioned by month of block time (db/partitions.ts): the key must hold the partition key.
    // The time follows from the block number, so the coordinates stay unique all the same.
    primaryKey({ columns: [t.chainId, t.blockNumber, t.logIndex, t.blockTime] }),
    // Only the service catalogue is read by event name without another key (adoption report's
    // latest listing per item); every other reader goes by coordinates, tx hash or a subject
    // index below. A partial index costs the backfill nothing for the millions of other events.
    index('events_service_items_idx')
      .on(t.chainId, t.blockNumber)
      .where(sql`${t.eventName} = 'ServiceItemListed'`),
    // A transaction's events (/verify): equality only, so a hash index (cheaper to insert into).
    index('events_tx_idx').using('hash', t.txHash),
    // The history of one invoice, certificate or grant (incident detail, /verify) without scanning
    // every event of its kind: partial expression indexes, paid for only by those events' rows.
    index('events_invoice_idx')
      .on(sql`(${t.args}->>'invoiceHash')`)
      .where(sql`${t.eventName} in ('InvoiceIssued', 'InvoiceReimbursed', 'InvoiceVoided')`),
    index('events_certificate_idx')
      .on(sql`(${t.args}->>'certHash')`)
      .where(sql`${t.eventName} in ('CertificateIssued', 'CertificateRevoked', 'CertificateVerified')`),
    index('events_grant_idx')
      .on(sql`(${t.args}->>'grantId')`)
      .where(sql`${t.eventName} in ('AccessGranted', 'AccessRevoked')`),
  ],
);

/** Where indexing stands: every block up to indexedBlock is committed. Moves only in order. */
export const cursors = pgTable('cursors', {
  chainId: integer('chain_id').primaryKey(),
  indexedBlock: bigint('indexed_block', { mode: 'number' }).notNull(),
  indexedHash: hash('indexed_hash'),
  /**
   * The last block whose events the rollups hold, while a backfill carries a day's sums from range
   * to range (workers/rollups/pending.ts); null when they hold every event up to indexed_block.
   */
  rollupsBlock: bigint('rollups_block', { mode: 'number' }),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/** Persisted health figures read by /api/health and the chain page (never the chain itself). */
export const indexerHealth = pgTable('indexer_health', {
  chainId: integer('chain_id').primaryKey(),
  headBlock: bigint('head_block', { mode: 'number' }).notNull(),
  headTime: timestamp('head_time', { withTimezone: true }),
  indexedBlock: bigint('indexed_block', { mode: 'number' }).notNull(),
  indexedTime: timestamp('indexed_time', { withTimezone: true }),
  lagBlocks: bigint('lag_blocks', { mode: 'number' }).notNull(),
  lagSeconds: doublePrecision('lag_seconds').notNull(),
  eventsPerSecond: doublePrecision('events_per_second').notNull().default(0),
  /** Median seconds between recent blocks: the chain's usual interval (CHAIN_STALLED). */
  blockIntervalSeconds: doublePrecision('block_interval_seconds'),
  failedJobs: integer('failed_jobs').notNull().default(0),
  retriedJobs: integer('retried_jobs').notNull().default(0),
  reorgs: integer('reorgs').notNull().default(0),
  rpcLastOkAt: timestamp('rpc_last_ok_at', { withTimezone: true }),
  rpcLastError: varchar('rpc_last_error', { length: 500 }),
  /** When the cursor last moved (copied from cursors.updated_at): a head that moves while this stands still is a stall. */
  cursorMovedAt: timestamp('cursor_moved_at', { withTimezone: true }),
  /** The block the cursor waits for (cursor+1) while behind the head, and why, in an operator's words. */
  waitingForBlock: bigint('waiting_for_block', { mode: 'number' }),
  waitingReason: varchar('waiting_reason', { length: 300 }),
  /** First block of the last continuation range the planner had to add, and how often it re-added it. */
  continuationFrom: bigint('continuation_from', { mode: 'number' }),
  replans: integer('replans').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/** Committed-range log: events per range, used for events/s and to audit that no range is missing. */
export const indexedRanges = pgTable(
  'indexed_ranges',
  {
    chainId: integer('chain_id').notNull(),
    fromBlock: bigint('from_block', { mode: 'number' }).notNull(),
    toBlock: bigint('to_block', { mode: 'number' }).notNull(),
    eventCount: integer('event_count').notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.fromBlock] }),
    index('indexed_ranges_time_idx').on(t.committedAt),
  ],
);

/**
 * Months whose partitions `archive` exported and dropped (db/partitions.ts). Their raw rows are in
 * the archive files only; the rollups and projections they built stay. A full replay of raw events
 * (reorg recovery's rebuild) would lose what these months contributed, so it refuses while any
 * month is archived (docs/operations.md: restore the months first).
 */
export const archivedMonths = pgTable('archived_months', {
  month: varchar('month', { length: 7 }).primaryKey(),
  /** Rows exported per table, as COPY counted them. */
  rows: jsonb('rows').$type<Record<string, number>>().notNull(),
  /** SM3 of the archive's signed manifest file. */
  manifestSm3: varchar('manifest_sm3', { length: 64 }).notNull(),
  archivedAt: timestamp('archived_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/**
 * Look-up indexes of `accesses` and `events` that a backfill into an empty table dropped, to build
 * at its end (db/deferred-indexes.ts), with the definition each had. A row left here means a
 * backfill stopped before its end: the next sync, range planner or migration builds the index.
 */
export const deferredIndexes = pgTable('deferred_indexes', {
  name: varchar('name', { length: 63 }).primaryKey(),
  /** pg_get_indexdef() of the index when it was dropped. */
  definition: text('definition').notNull(),
  deferredAt: timestamp('deferred_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/** Key–value settings (rule thresholds, webhook), so operators change them without a deploy. */
export const settings = pgTable('settings', {
  key: varchar('key', { length: 64 }).primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .default(sql`now()`),
});

/**
 * The projections and rollups as they stood at one indexed block, so a reorg rolls them back by
 * restoring the newest checkpoint at or below the common ancestor and replaying only the raw
 * events after it — not every event since genesis (which also needs no archived month).
 */
export const derivedCheckpoints = pgTable(
  'derived_checkpoints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chainId: integer('chain_id').notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
    blockHash: varchar('block_hash', { length: 66 }),
    takenAt: timestamp('taken_at', { withTimezone: true })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('derived_checkpoints_chain_block_idx').on(t.chainId, t.blockNumber)],
);

/** One row of a checkpointed table, as `to_jsonb(row)` (restored with `jsonb_populate_record`). */
export const derivedCheckpointRows = pgTable(
  'derived_checkpoint_rows',
  {
    checkpointId: bigint('checkpoint_id', { mode: 'number' })
      .notNull()
      .references(() => derivedCheckpoints.id, { onDelete: 'cascade' }),
    tableName: varchar('table_name', { length: 40 }).notNull(),
    row: jsonb('row').notNull(),
  },
  (t) => [index('derived_checkpoint_rows_idx').on(t.checkpointId, t.tableName)],
);
