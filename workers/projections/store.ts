import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Address, Hash } from 'viem';
import type { Db, Tx } from '~/db/client';
import { arrayLiteral } from '~/db/array-literal';
import { certificates, datasets, grants, invoices, orgs } from '../../db/schema';
import type { ChainEvent } from '../events/types';
import type {
  CertificateState,
  DatasetState,
  EventRef,
  GrantState,
  InvoiceState,
  OrgState,
  StateView,
} from '../state/types';

/** Rows per statement when loading by key: well under Postgres's 65,535 bind parameters. */
const LOAD_CHUNK = 5000;

/** Chain coordinates stored as three nullable columns: all three, or none. */
function refOf(blockNumber: number | null, logIndex: number | null, txHash: Hash | null): EventRef | null {
  return blockNumber !== null && logIndex !== null && txHash !== null
    ? { blockNumber, logIndex, txHash }
    : null;
}

/**
 * The rows of `table` whose key is one of `keys`, as drizzle's select() maps them. Each key is
 * looked up by itself through the (chain, key) primary key: `key = any($1)` over thousands of keys
 * was planned as a scan of the whole table once it held a few percent of them (33 ms a range at
 * 107k invoices, growing with every invoice a backfill adds), or, with the statistics a backfill
 * leaves behind, as a scan of every row of the chain. `limit 1` keeps the planner from turning the
 * lateral lookup back into a join it may hash.
 */
async function selectByKeys<T extends PgTable & { chainId: PgColumn }>(
  db: Db | Tx,
  table: T,
  keyColumn: PgColumn,
  chainId: number,
  keys: string[],
): Promise<T['$inferSelect'][]> {
  const columns = columnsOf(table);
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    select t.* from unnest(${sql.param(arrayLiteral(keys))}::varchar[]) as k(key)
    cross join lateral (
      select * from ${table} where ${table.chainId} = ${chainId} and ${keyColumn} = k.key limit 1
    ) t`);
  // Plain loops: a backfill of the large chain reads back a million invoices and certificates, and
  // an array of [name, value] pairs per row for Object.fromEntries was garbage to collect.
  const out = new Array<T['$inferSelect']>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const o: Record<string, unknown> = {};
    for (let j = 0; j < columns.length; j++) {
      const [prop, col] = columns[j]!;
      const v = r[col.name];
      o[prop] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
    }
    out[i] = o;
  }
  return out;
}

const tableColumns = new WeakMap<PgTable, [string, PgColumn][]>();

/** A table's [property, column] pairs, listed once per table. */
function columnsOf(table: PgTable): [string, PgColumn][] {
  let columns = tableColumns.get(table);
  if (!columns) {
    columns = Object.entries(getTableColumns(table));
    tableColumns.set(table, columns);
  }
  return columns;
}

/** Whether one of `keep` holds `key` (a loop: a closure per key was garbage, a million keys a chain). */
function keptIn(keep: readonly SubjectKeys[], of: keyof SubjectKeys, key: Hash): boolean {
  for (let i = 0; i < keep.length; i++) if (keep[i]![of].has(key)) return true;
  return false;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The invoices and certificates some events touch (ProjectionStore.evictColdSubjects). */
export interface SubjectKeys {
  invoices: ReadonlySet<Hash>;
  certificates: ReadonlySet<Hash>;
}

/** Keys a sync has written (workers/indexer/written-keys.ts): a key whose mightHold is false was never stored. */
export interface WrittenKeyFilter {
  mightHold(key: string): boolean;
  add(key: string): void;
}

/**
 * The invoices and certificates a first backfill has touched, while they are every one stored: the
 * keys they do not hold are new, and loadFor does not look them up.
 */
export interface WrittenSubjects {
  invoices: WrittenKeyFilter;
  certificates: WrittenKeyFilter;
}

export function subjectKeys(events: readonly ChainEvent[]): SubjectKeys {
  const invoices = new Set<Hash>();
  const certificates = new Set<Hash>();
  for (const ev of events) {
    if ('invoiceHash' in ev.args) invoices.add(ev.args.invoiceHash);
    else if ('certHash' in ev.args) certificates.add(ev.args.certHash);
  }
  return { invoices, certificates };
}

/**
 * The projection state one range needs, in memory: loaded for the keys the range touches,
 * mutated in chain order by applyEvent, and written back (dirty rows only) in the range's
 * transaction.
 */
export class ProjectionStore implements StateView {
  readonly orgs = new Map<Address, OrgState>();
  readonly datasets = new Map<Hash, DatasetState>();
  readonly grants = new Map<Hash, GrantState>();
  readonly invoices = new Map<Hash, InvoiceState>();
  readonly certificates = new Map<Hash, CertificateState>();
  readonly dirty = {
    orgs: new Set<Address>(),
    datasets: new Set<Hash>(),
    grants: new Set<Hash>(),
    invoices: new Set<Hash>(),
    certificates: new Set<Hash>(),
  };
  /**
   * The numbers of contract addresses in contract_addresses (indexer/contract-address-ids.ts), as
   * read back committed: kept with the store, so they belong to the database it was loaded from.
   */
  readonly contractAddressIds = new Map<Address, number>();

  constructor(readonly chainId: number) {}

  /** Rows held in memory: a cache kept across ranges is dropped past a limit (memory stays flat). */
  size(): number {
    return (
      this.orgs.size + this.datasets.size + this.grants.size + this.invoices.size + this.certificates.size
    );
  }

  /**
   * Forgets invoices and certificates but those in `keep` (subjectKeys of the ranges applied and
   * not yet committed). Each is touched once or twice in its life, so keeping them would grow the
   * state by a row per invoice for nothing; call it only between two ranges' preparations, when
   * every range applied so far but those `keep` comes from is committed (the rows dropped are then
   * exactly as stored and are read back if they come up again).
   */
  evictColdSubjects(...keep: SubjectKeys[]): void {
    for (const k of this.invoices.keys()) if (!keptIn(keep, 'invoices', k)) this.invoices.delete(k);
    for (const k of this.certificates.keys())
      if (!keptIn(keep, 'certificates', k)) this.certificates.delete(k);
  }

  clearDirty(): void {
    for (const set of Object.values(this.dirty)) set.clear();
  }

  org(a: Address) {
    return this.orgs.get(a);
  }
  dataset(id: Hash) {
    return this.datasets.get(id);
  }
  grant(id: Hash) {
    return this.grants.get(id);
  }
  invoice(h: Hash) {
    return this.invoices.get(h);
  }
  certificate(h: Hash) {
    return this.certificates.get(h);
  }

  /**
   * Loads every row the events may read: grants and datasets first, then every org they name.
   * Invoices and certificates `written` never saw are not looked up; those the events name are
   * added to it (whether this range is committed or not, a false "might" only costs a look-up).
   */
  async loadFor(db: Db | Tx, events: ChainEvent[], written: WrittenSubjects | null = null): Promise<void> {
    const orgKeys = new Set<Address>();
    const datasetKeys = new Set<Hash>();
    const grantKeys = new Set<Hash>();
    const invoiceKeys = new Set<Hash>();
    const certKeys = new Set<Hash>();
    for (const ev of events) {
      switch (ev.eventName) {
        case 'OrgRegistered':
        case 'OrgDeactivated':
          orgKeys.add(ev.args.account);
          break;
        case 'DatasetRegistered':
          datasetKeys.add(ev.args.datasetId);
          orgKeys.add(ev.args.owner);
          break;
        case 'AccessGranted':
          grantKeys.add(ev.args.grantId);
          datasetKeys.add(ev.args.datasetId);
          orgKeys.add(ev.args.grantee).add(ev.args.grantor);
          break;
        case 'AccessRevoked':
          grantKeys.add(ev.args.grantId);
          orgKeys.add(ev.args.revokedBy);
          break;
        case 'DataAccessed':
          grantKeys.add(ev.args.grantId);
          datasetKeys.add(ev.args.datasetId);
          orgKeys.add(ev.args.accessor);
          break;
        case 'InvoiceIssued':
        case 'InvoiceVoided':
          invoiceKeys.add(ev.args.invoiceHash);
          orgKeys.add(ev.args.issuer);
          break;
        case 'InvoiceReimbursed':
          invoiceKeys.add(ev.args.invoiceHash);
          orgKeys.add(ev.args.claimant);
          break;
        case 'CertificateIssued':
        case 'CertificateRevoked':
          certKeys.add(ev.args.certHash);
          orgKeys.add(ev.args.issuer);
          break;
        case 'CertificateVerified':
          certKeys.add(ev.args.certHash);
          orgKeys.add(ev.args.verifier);
          break;
        case 'CaseCompleted':
          orgKeys.add(ev.args.org);
          break;
        case 'ServiceItemListed':
          break;
      }
    }
    const c = this.chainId;
    for (const part of chunks(
      [...grantKeys].filter((k) => !this.grants.has(k)),
      LOAD_CHUNK,
    )) {
      const rows = await selectByKeys(db, grants, grants.grantId, c, part);
      for (const g of rows) {
        this.grants.set(g.grantId, {
          grantId: g.grantId,
          datasetId: g.datasetId,
          grantee: g.grantee,
          grantor: g.grantor,
          purpose: g.purpose,
          modes: g.modes,
          validUntil: g.validUntil,
          granted: { blockNumber: g.grantedBlock, logIndex: g.grantedLogIndex, txHash: g.grantedTx },
          grantedAt: Math.floor(g.grantedAt.getTime() / 1000),
          revoked: g.revoked,
          revokedBy: g.revokedBy,
          revokedRef: refOf(g.revokedBlock, g.revokedLogIndex, g.revokedTx),
          lastBlock: g.lastBlock,
        });
        datasetKeys.add(g.datasetId);
        orgKeys.add(g.grantee);
      }
    }
    for (const part of chunks(
      [...datasetKeys].filter((k) => !this.datasets.has(k)),
      LOAD_CHUNK,
    )) {
      const rows = await selectByKeys(db, datasets, datasets.datasetId, c, part);
      for (const d of rows) {
        this.datasets.set(d.datasetId, {
          datasetId: d.datasetId,
          owner: d.owner,
          category: d.category,
          sensitivity: d.sensitivity,
          title: d.title,
          registeredBlock: d.registeredBlock,
          lastBlock: d.lastBlock,
        });
        orgKeys.add(d.owner);
      }
    }
    const unseen = (filter: WrittenKeyFilter | undefined, k: Hash) => filter?.mightHold(k) === false;
    const invoicesToRead = [...invoiceKeys].filter(
      (k) => !this.invoices.has(k) && !unseen(written?.invoices, k),
    );
    const certificatesToRead = [...certKeys].filter(
      (k) => !this.certificates.has(k) && !unseen(written?.certificates, k),
    );
    if (written) {
      for (const k of invoiceKeys) written.invoices.add(k);
      for (const k of certKeys) written.certificates.add(k);
    }
    for (const part of chunks(invoicesToRead, LOAD_CHUNK)) {
      const rows = await selectByKeys(db, invoices, invoices.invoiceHash, c, part);
      for (const r of rows) {
        this.invoices.set(r.invoiceHash, {
          invoiceHash: r.invoiceHash,
          issuer: r.issuer,
          regionCode: r.regionCode,
          amountFen: r.amountFen,
          issued: refOf(r.issuedBlock, r.issuedLogIndex, r.issuedTx),
          reimbursedFen: r.reimbursedFen,
          reimbursementCount: r.reimbursementCount,
          firstReimbursed: refOf(r.firstReimbursedBlock, r.firstReimbursedLogIndex, r.firstReimbursedTx),
          voided: r.voided,
          voidedRef: refOf(r.voidedBlock, r.voidedLogIndex, r.voidedTx),
          lastBlock: r.lastBlock,
        });
      }
    }
    for (const part of chunks(certificatesToRead, LOAD_CHUNK)) {
      const rows = await selectByKeys(db, certificates, certificates.certHash, c, part);
      for (const r of rows) {
        this.certificates.set(r.certHash, {
          certHash: r.certHash,
          issuer: r.issuer,
          certType: r.certType,
          regionCode: r.regionCode,
          issued: refOf(r.issuedBlock, r.issuedLogIndex, r.issuedTx),
          revoked: r.revoked,
          revokedRef: refOf(r.revokedBlock, r.revokedLogIndex, r.revokedTx),
          verificationCount: r.verificationCount,
          lastBlock: r.lastBlock,
        });
      }
    }
    for (const part of chunks(
      [...orgKeys].filter((k) => !this.orgs.has(k)),
      LOAD_CHUNK,
    )) {
      const rows = await selectByKeys(db, orgs, orgs.address, c, part);
      for (const o of rows) {
        this.orgs.set(o.address, {
          address: o.address,
          orgCode: o.orgCode,
          regionCode: o.regionCode,
          kind: o.kind,
          name: o.name,
          active: o.active,
          registered: {
            blockNumber: o.registeredBlock,
            logIndex: o.registeredLogIndex,
            txHash: o.registeredTx,
          },
          registeredAt: Math.floor(o.registeredAt.getTime() / 1000),
          deactivated: refOf(o.deactivatedBlock, o.deactivatedLogIndex, o.deactivatedTx),
          lastBlock: o.lastBlock,
        });
      }
    }
  }
}
