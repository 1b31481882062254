import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  certificates,
  datasets,
  grants,
  invoices,
  orgs,
  serviceItems,
} from '../../db/schema';
import type { Tx } from '../db-types';
import type { ProjectionStore } from './store';
import type { DerivedRows } from './derive';

/** Set every non-key column from the incoming row: the row now is what chain order made it. */
function excludedSet(table: PgTable, keys: string[]): Record<string, SQL> {
  const set: Record<string, SQL> = {};
  for (const [prop, col] of Object.entries(getTableColumns(table))) {
    if (!keys.includes(prop)) set[prop] = sql.raw(`excluded."${(col as PgColumn).name}"`);
  }
  return set;
}

/** Upserts in chunks that stay below Postgres's 65,535 bind parameters. */
async function upsert<T extends PgTable>(
  tx: Tx,
  table: T,
  target: PgColumn[],
  keyProps: string[],
  rows: T['$inferInsert'][],
  keepOnConflict: string[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(getTableColumns(table)).length;
  const size = Math.max(1, Math.floor(60_000 / perRow));
  const set = excludedSet(table, [...keyProps, ...keepOnConflict]);
  for (let i = 0; i < rows.length; i += size) {
    await tx
      .insert(table)
      .values(rows.slice(i, i + size))
      .onConflictDoUpdate({ target, set });
  }
}

const date = (unix: number) => new Date(unix * 1000);

export async function writeProjections(tx: Tx, store: ProjectionStore): Promise<void> {
  const chainId = store.chainId;
  await upsert(
    tx,
    orgs,
    [orgs.chainId, orgs.address],
    ['chainId', 'address'],
    [...store.dirty.orgs].map((k) => {
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
  );
  await upsert(
    tx,
    datasets,
    [datasets.chainId, datasets.datasetId],
    ['chainId', 'datasetId'],
    [...store.dirty.datasets].map((k) => ({ chainId, ...store.datasets.get(k)! })),
  );
  await upsert(
    tx,
    grants,
    [grants.chainId, grants.grantId],
    ['chainId', 'grantId'],
    [...store.dirty.grants].map((k) => {
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
        // access_count is kept by one grouped increment per range (write-range.ts): a new row
        // starts at 0 and an existing row keeps its count on conflict.
        accessCount: 0,
        lastBlock: g.lastBlock,
      };
    }),
    ['accessCount'],
  );
  await upsert(
    tx,
    invoices,
    [invoices.chainId, invoices.invoiceHash],
    ['chainId', 'invoiceHash'],
    [...store.dirty.invoices].map((k) => {
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
  );
  await upsert(
    tx,
    certificates,
    [certificates.chainId, certificates.certHash],
    ['chainId', 'certHash'],
    [...store.dirty.certificates].map((k) => {
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
  );
}

export async function writeServiceItems(tx: Tx, chainId: number, derived: DerivedRows): Promise<void> {
  await upsert(
    tx,
    serviceItems,
    [serviceItems.chainId, serviceItems.regionCode, serviceItems.itemCode],
    ['chainId', 'regionCode', 'itemCode'],
    [...derived.serviceItems.values()].map((s) => ({ chainId, ...s, lastBlock: s.listedBlock })),
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
