import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { certificates, datasets, grants, invoices, orgs, serviceItems } from '../../db/schema';
import type { Tx } from '~/db/client';
import { arrayLiteral } from '~/db/array-literal';
import type { ProjectionStore } from './store';
import type { DerivedRows } from './derive';

/** A value as Postgres's text input reads it inside an array parameter. */
function toDriver(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/**
 * Upserts rows with one `INSERT … SELECT FROM unnest($1::type[], …)` statement: one bind
 * parameter per column whatever the row count (each an array literal made by one join where
 * arrayLiteral can), so one statement and one plan serve any batch (its
 * cost is backfill_writer_ms_projections in `npm run bench -- --quick --only=indexer-backfill`),
 * conflict target = the key, every other column (but `keepOnConflict`) taken from the new row.
 */
async function upsert<T extends PgTable>(
  tx: Tx,
  table: T,
  target: PgColumn[],
  keyProps: string[],
  rows: T['$inferInsert'][],
  keepOnConflict: string[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(getTableColumns(table)) as [string, PgColumn][];
  const names = columns.map(([, c]) => `"${c.name}"`);
  const arrays = columns.map(([prop]) =>
    arrayLiteral(rows.map((r) => toDriver((r as Record<string, unknown>)[prop]))),
  );
  const casts = columns.map(([, c], i) => sql`${sql.param(arrays[i])}::${sql.raw(c.getSQLType())}[]`);
  const skip = new Set([...keyProps, ...keepOnConflict]);
  const updates = columns
    .filter(([prop]) => !skip.has(prop))
    .map(([, c]) => sql.raw(`"${c.name}" = excluded."${c.name}"`));
  await tx.execute(sql`
    INSERT INTO ${table} (${sql.raw(names.join(', '))})
    SELECT * FROM unnest(${sql.join(casts, sql`, `)})
    ON CONFLICT (${sql.raw(target.map((c) => `"${c.name}"`).join(', '))})
    DO UPDATE SET ${sql.join(updates, sql`, `)}`);
}

const date = (unix: number) => new Date(unix * 1000);

/**
 * The dirty projection rows of a range, copied out of the store: built when the range is applied,
 * so the store may go on to the next range while this one is still being written.
 */
export interface ProjectionRows {
  orgs: (typeof orgs.$inferInsert)[];
  datasets: (typeof datasets.$inferInsert)[];
  grants: (typeof grants.$inferInsert)[];
  invoices: (typeof invoices.$inferInsert)[];
  certificates: (typeof certificates.$inferInsert)[];
  serviceItems: (typeof serviceItems.$inferInsert)[];
}

export function projectionRows(store: ProjectionStore, derived: DerivedRows): ProjectionRows {
  const chainId = store.chainId;
  return {
    orgs: [...store.dirty.orgs].map((k) => {
      const o = store.orgs.get(k)!;
      return {
        chainId,
        address: o.address,
        orgCode: o.orgCode,
        regionCode: o.regionCode,
        kind: o.kind,
        name: o.name,
        active: o.active,
        registeredBlock: o.registered.blockNumber,
        registeredLogIndex: o.registered.logIndex,
        registeredTx: o.registered.txHash,
        registeredAt: date(o.registeredAt),
        deactivatedBlock: o.deactivated?.blockNumber ?? null,
        deactivatedLogIndex: o.deactivated?.logIndex ?? null,
        deactivatedTx: o.deactivated?.txHash ?? null,
        lastBlock: o.lastBlock,
      };
    }),
    datasets: [...store.dirty.datasets].map((k) => ({ chainId, ...store.datasets.get(k)! })),
    grants: [...store.dirty.grants].map((k) => {
      const g = store.grants.get(k)!;
      return {
        chainId,
        grantId: g.grantId,
        datasetId: g.datasetId,
        grantee: g.grantee,
        grantor: g.grantor,
        purpose: g.purpose,
        modes: g.modes,
        validUntil: g.validUntil,
        grantedBlock: g.granted.blockNumber,
        grantedLogIndex: g.granted.logIndex,
        grantedTx: g.granted.txHash,
        grantedAt: date(g.grantedAt),
        revoked: g.revoked,
        revokedBy: g.revokedBy,
        revokedBlock: g.revokedRef?.blockNumber ?? null,
        revokedLogIndex: g.revokedRef?.logIndex ?? null,
        revokedTx: g.revokedRef?.txHash ?? null,
        // access_count is added to with the rollups (rollups/write.ts): a new row starts at 0 and
        // an existing row keeps its count on conflict.
        accessCount: 0,
        lastBlock: g.lastBlock,
      };
    }),
    invoices: [...store.dirty.invoices].map((k) => {
      const v = store.invoices.get(k)!;
      return {
        chainId,
        invoiceHash: v.invoiceHash,
        issuer: v.issuer,
        regionCode: v.regionCode,
        amountFen: v.amountFen,
        issuedBlock: v.issued?.blockNumber ?? null,
        issuedLogIndex: v.issued?.logIndex ?? null,
        issuedTx: v.issued?.txHash ?? null,
        reimbursedFen: v.reimbursedFen,
        reimbursementCount: v.reimbursementCount,
        firstReimbursedBlock: v.firstReimbursed?.blockNumber ?? null,
        firstReimbursedLogIndex: v.firstReimbursed?.logIndex ?? null,
        firstReimbursedTx: v.firstReimbursed?.txHash ?? null,
        voided: v.voided,
        voidedBlock: v.voidedRef?.blockNumber ?? null,
        voidedLogIndex: v.voidedRef?.logIndex ?? null,
        voidedTx: v.voidedRef?.txHash ?? null,
        lastBlock: v.lastBlock,
      };
    }),
    certificates: [...store.dirty.certificates].map((k) => {
      const c = store.certificates.get(k)!;
      return {
        chainId,
        certHash: c.certHash,
        issuer: c.issuer,
        certType: c.certType,
        regionCode: c.regionCode,
        issuedBlock: c.issued?.blockNumber ?? null,
        issuedLogIndex: c.issued?.logIndex ?? null,
        issuedTx: c.issued?.txHash ?? null,
        revoked: c.revoked,
        revokedBlock: c.revokedRef?.blockNumber ?? null,
        revokedLogIndex: c.revokedRef?.logIndex ?? null,
        revokedTx: c.revokedRef?.txHash ?? null,
        verificationCount: c.verificationCount,
        lastBlock: c.lastBlock,
      };
    }),
    serviceItems: [...derived.serviceItems.values()].map((s) => ({
      chainId,
      ...s,
      lastBlock: s.listedBlock,
    })),
  };
}

export async function writeProjections(tx: Tx, rows: ProjectionRows): Promise<void> {
  await upsert(tx, orgs, [orgs.chainId, orgs.address], ['chainId', 'address'], rows.orgs);
  await upsert(tx, datasets, [datasets.chainId, datasets.datasetId], ['chainId', 'datasetId'], rows.datasets);
  await upsert(tx, grants, [grants.chainId, grants.grantId], ['chainId', 'grantId'], rows.grants, [
    'accessCount',
  ]);
  await upsert(
    tx,
    invoices,
    [invoices.chainId, invoices.invoiceHash],
    ['chainId', 'invoiceHash'],
    rows.invoices,
  );
  await upsert(
    tx,
    certificates,
    [certificates.chainId, certificates.certHash],
    ['chainId', 'certHash'],
    rows.certificates,
  );
  await upsert(
    tx,
    serviceItems,
    [serviceItems.chainId, serviceItems.regionCode, serviceItems.itemCode],
    ['chainId', 'regionCode', 'itemCode'],
    rows.serviceItems,
  );
}

export const ACCESS_COLUMNS = [
  'chain_id',
  'block_number',
  'log_index',
  'tx_hash',
  'block_time',
  'grant_id',
  'dataset_id',
  'accessor',
  'owner',
  'category',
  'sensitivity',
  'owner_region',
  'accessor_region',
  'mode',
  'purpose',
  'record_count',
  'payload_hash',
  'tx_index',
  'address_id',
] as const;

export const CASE_COLUMNS = [
  'chain_id',
  'case_id',
  'org',
  'region_code',
  'item_code',
  'channel',
  'orgs_involved',
  'duration_minutes',
  'block_number',
  'block_time',
] as const;
