import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core';
import { address, hash, uint256 } from './columns';

/**
 * Projections: current state built by applying events in chain order. Each row remembers the
 * block of the event that last changed it, so a reorg rebuilds exactly the touched rows.
 */
export const orgs = pgTable(
  'orgs',
  {
    chainId: integer('chain_id').notNull(),
    address: address('address').notNull(),
    orgCode: hash('org_code').notNull(),
    regionCode: integer('region_code').notNull(),
    kind: smallint('kind').notNull(),
    name: text('name').notNull(),
    active: boolean('active').notNull(),
    registeredBlock: bigint('registered_block', { mode: 'number' }).notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    registeredLogIndex: integer('registered_log_index').notNull(),
    registeredTx: hash('registered_tx').notNull(),
    deactivatedBlock: bigint('deactivated_block', { mode: 'number' }),
    deactivatedLogIndex: integer('deactivated_log_index'),
    deactivatedTx: hash('deactivated_tx'),
    lastBlock: bigint('last_block', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.address] }),
    index('orgs_region_idx').on(t.chainId, t.regionCode),
  ],
);

export const datasets = pgTable(
  'datasets',
  {
    chainId: integer('chain_id').notNull(),
    datasetId: hash('dataset_id').notNull(),
    owner: address('owner').notNull(),
    category: integer('category').notNull(),
    sensitivity: smallint('sensitivity').notNull(),
    title: text('title').notNull(),
    registeredBlock: bigint('registered_block', { mode: 'number' }).notNull(),
    lastBlock: bigint('last_block', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.datasetId] }),
    index('datasets_owner_idx').on(t.chainId, t.owner),
  ],
);

/**
 * Stored with half of each page free (migration 0022): busy grants' access counts are rewritten
 * with the rollups, every live range and once a day of chain time in a backfill.
 */
export const grants = pgTable(
  'grants',
  {
    chainId: integer('chain_id').notNull(),
    grantId: hash('grant_id').notNull(),
    datasetId: hash('dataset_id').notNull(),
    grantee: address('grantee').notNull(),
    grantor: address('grantor').notNull(),
    purpose: integer('purpose').notNull(),
    modes: smallint('modes').notNull(),
    /** unix seconds */
    validUntil: bigint('valid_until', { mode: 'number' }).notNull(),
    grantedBlock: bigint('granted_block', { mode: 'number' }).notNull(),
    grantedLogIndex: integer('granted_log_index').notNull(),
    grantedTx: hash('granted_tx').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    revoked: boolean('revoked').notNull().default(false),
    revokedBy: address('revoked_by'),
    revokedBlock: bigint('revoked_block', { mode: 'number' }),
    revokedLogIndex: integer('revoked_log_index'),
    revokedTx: hash('revoked_tx'),
    accessCount: integer('access_count').notNull().default(0),
    lastBlock: bigint('last_block', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.grantId] }),
    index('grants_dataset_idx').on(t.chainId, t.datasetId),
    index('grants_grantee_idx').on(t.chainId, t.grantee),
  ],
);

export const invoices = pgTable(
  'invoices',
  {
    chainId: integer('chain_id').notNull(),
    invoiceHash: hash('invoice_hash').notNull(),
    /** Null for an invoice that was reimbursed but never issued on chain. */
    issuer: address('issuer'),
    regionCode: integer('region_code'),
    amountFen: uint256('amount_fen'),
    issuedBlock: bigint('issued_block', { mode: 'number' }),
    issuedLogIndex: integer('issued_log_index'),
    issuedTx: hash('issued_tx'),
    reimbursedFen: uint256('reimbursed_fen').notNull(),
    reimbursementCount: integer('reimbursement_count').notNull().default(0),
    /** Coordinates of the first reimbursement: evidence of a later duplicate (一票多报). */
    firstReimbursedBlock: bigint('first_reimbursed_block', { mode: 'number' }),
    firstReimbursedLogIndex: integer('first_reimbursed_log_index'),
    firstReimbursedTx: hash('first_reimbursed_tx'),
    voided: boolean('voided').notNull().default(false),
    voidedBlock: bigint('voided_block', { mode: 'number' }),
    voidedLogIndex: integer('voided_log_index'),
    voidedTx: hash('voided_tx'),
    lastBlock: bigint('last_block', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chainId, t.invoiceHash] }),
    index('invoices_issuer_idx').on(t.chainId, t.issuer),
  ],
);

export const certificates = pgTable(
  'certificates',
  {
    chainId: integer('chain_id').notNull(),
    certHash: hash('cert_hash').notNull(),
    /** Null for a certificate verified but never issued on chain. */
    issuer: address('issuer'),
    certType: integer('cert_type'),
    regionCode: integer('region_code'),
    issuedBlock: bigint('issued_block', { mode: 'number' }),
    issuedLogIndex: integer('issued_log_index'),
    issuedTx: hash('issued_tx'),
    revoked: boolean('revoked').notNull().default(false),
    revokedBlock: bigint('revoked_block', { mode: 'number' }),
    revokedLogIndex: integer('revoked_log_index'),
    revokedTx: hash('revoked_tx'),
    verificationCount: integer('verification_count').notNull().default(0),
    lastBlock: bigint('last_block', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.certHash] })],
);

export const serviceItems = pgTable(
  'service_items',
  {
    chainId: integer('chain_id').notNull(),
    regionCode: integer('region_code').notNull(),
    itemCode: integer('item_code').notNull(),
    onlineLevel: smallint('online_level').notNull(),
    listedBlock: bigint('listed_block', { mode: 'number' }).notNull(),
    /** Asia/Shanghai day of the latest listing, for "items online" trends. */
    listedDay: varchar('listed_day', { length: 10 }).notNull(),
    lastBlock: bigint('last_block', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.regionCode, t.itemCode] })],
);

export const cases = pgTable(
  'cases',
  {
    chainId: integer('chain_id').notNull(),
    caseId: hash('case_id').notNull(),
    org: address('org').notNull(),
    regionCode: integer('region_code').notNull(),
    itemCode: integer('item_code').notNull(),
    channel: smallint('channel').notNull(),
    orgsInvolved: smallint('orgs_involved').notNull(),
    /** uint32 on chain: past a signed 32-bit integer, so bigint (migration 0023). */
    durationMinutes: bigint('duration_minutes', { mode: 'number' }).notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
    blockTime: timestamp('block_time', { withTimezone: true }).notNull(),
  },
  (t) => [
    // No primary key: partitioned by month of block time (db/partitions.ts), a key would have to
    // hold the time and could not keep a case id unique anyway; the writer does, by skipping ids
    // already stored (workers/indexer/write-prepared.ts), and finds them, as /verify does, through
    // a hash index. The ids are random: as a B-tree of 66-character text that key grew past the
    // buffer cache and cost each new case a descent of string comparisons and a random page
    // (migration 0031).
    index('cases_case_idx').using('hash', t.caseId),
    index('cases_region_time_idx').on(t.chainId, t.regionCode, t.blockTime),
    index('cases_block_idx').on(t.chainId, t.blockNumber),
  ],
);

/**
 * Every DataAccessed as a typed row, and its only stored copy: `events` holds the other events,
 * the view `chain_events` (migration 0024) shows both in the raw shape. Each field of the event is
 * a column here, so the raw row was the same event written twice (≈ 15 % of a dense backfill).
 * The flows drill-down (a flow's accesses, an access's proof), /verify by payload hash, and
 * VOLUME_SPIKE evidence read this instead of JSON.
 */
export const accesses = pgTable(
  'accesses',
  {
    chainId: integer('chain_id').notNull(),
    blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
    logIndex: integer('log_index').notNull(),
    txHash: hash('tx_hash').notNull(),
    blockTime: timestamp('block_time', { withTimezone: true }).notNull(),
    grantId: hash('grant_id').notNull(),
    datasetId: hash('dataset_id').notNull(),
    accessor: address('accessor').notNull(),
    /** The dataset's owner when the access was indexed (null when the dataset is unknown). */
    owner: address('owner'),
    /** Dataset and org attributes as they stood at the access, so rollups rebuild from this table alone. */
    category: integer('category').notNull(),
    sensitivity: smallint('sensitivity').notNull(),
    ownerRegion: integer('owner_region').notNull(),
    accessorRegion: integer('accessor_region').notNull(),
    mode: smallint('mode').notNull(),
    purpose: integer('purpose').notNull(),
    /** uint32 on chain: past a signed 32-bit integer, so bigint (migration 0023). */
    recordCount: bigint('record_count', { mode: 'number' }).notNull(),
    payloadHash: hash('payload_hash').notNull(),
    /** The raw event's tx index and contract (by number: contract_addresses), for chain_events. */
    txIndex: integer('tx_index').notNull(),
    addressId: integer('address_id').notNull(),
  },
  (t) => [
    // Partitioned by month of block time (db/partitions.ts): the key must hold the partition key.
    primaryKey({ columns: [t.chainId, t.blockNumber, t.logIndex, t.blockTime] }),
    // Each index has its reader (every index costs each backfilled access an insert): an org's
    // latest accesses and VOLUME_SPIKE evidence (accessor, time); a grant's history (grant);
    // /verify by payload hash. No query filters by owner or by dataset alone.
    index('accesses_accessor_time_idx').on(t.chainId, t.accessor, t.blockTime),
    // A grant's history asks for one grant id (equality, never a range or an order): a hash
    // index. As a B-tree over (chain, grant) it cost a COPY of 200k accesses ≈ 450 ms, as a hash
    // ≈ 250 ms (migration 0022).
    index('accesses_grant_idx').using('hash', t.grantId),
    // Looked up by equality only: a hash index inserts a random 66-character key without the
    // B-tree's collation-aware comparisons down the tree (about half the cost here).
    index('accesses_payload_idx').using('hash', t.payloadHash),
    // A transaction's events (/verify). A B-tree, not a hash as events_tx_idx: a batch
    // transaction's hundreds of accesses share one key, which the B-tree stores once per leaf
    // (deduplication) and inserts into a page already in cache; half the hash index's cost on the
    // dense chain (≈ 0.25 against 0.45 CPU s of Postgres per 200k accesses).
    index('accesses_tx_idx').on(t.txHash),
  ],
);
