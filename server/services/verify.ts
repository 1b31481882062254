import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Address, Hash } from 'viem';
import type { Db } from '../../db/client';
import { ADDRESS_FIELDS } from '~/domain/event-fields';
import { accesses, cases, certificates, grants, invoices, orgs } from '../../db/schema/projections';
import { inScope, scopeCondition, type Scope } from '../scope';
import {
  EVENT_COLUMNS,
  namesOf,
  subjectHistory,
  toEventView,
  type ChainEventView,
  type EventNames,
  type EventRow,
} from './incidents-detail';

/**
 * What a hash is on the chain, with the events that prove it. Every kind carries its proof as raw
 * events (tx hash, block, block hash, block time), so the page shows one proof table for all.
 */
export type VerifyMatch =
  | {
      kind: 'access';
      payloadHash: Hash;
      grantId: Hash;
      datasetId: Hash;
      accessor: Address;
      owner: Address | null;
      mode: number;
      purpose: number;
      recordCount: number;
      sensitivity: number;
      events: ChainEventView[];
    }
  | {
      kind: 'invoice';
      invoiceHash: Hash;
      status: 'issued' | 'reimbursed' | 'voided' | 'never_issued';
      issuer: Address | null;
      regionCode: number | null;
      amountFen: string | null;
      reimbursedFen: string;
      reimbursementCount: number;
      voided: boolean;
      events: ChainEventView[];
      /** Events of the invoice naming no organisation in the caller's scope (counted, not shown). */
      hidden: number;
    }
  | {
      kind: 'certificate';
      certHash: Hash;
      status: 'valid' | 'revoked' | 'never_issued';
      issuer: Address | null;
      certType: number | null;
      regionCode: number | null;
      verificationCount: number;
      events: ChainEventView[];
      hidden: number;
    }
  | {
      kind: 'grant';
      grantId: Hash;
      status: 'active' | 'revoked' | 'expired';
      grantee: Address;
      grantor: Address;
      validUntil: number;
      accessCount: number;
      events: ChainEventView[];
      truncated: boolean;
      hidden: number;
    }
  | { kind: 'case'; caseId: Hash; regionCode: number; org: Address; events: ChainEventView[] }
  | { kind: 'transaction'; txHash: Hash; events: ChainEventView[] };

export interface VerifyResult {
  hash: Hash;
  matches: VerifyMatch[];
  names: EventNames;
}

async function eventsAt(
  db: Db,
  chainId: number,
  coords: { block: number; log: number }[],
): Promise<ChainEventView[]> {
  if (coords.length === 0) return [];
  const list = sql.join(
    coords.map((c) => sql`(${c.block}::bigint, ${c.log}::int)`),
    sql`, `,
  );
  const res = await db.execute<EventRow>(sql`
    select ${EVENT_COLUMNS}
    from chain_events e left join blocks b on b.chain_id = e.chain_id and b.number = e.block_number
    where e.chain_id = ${chainId} and (e.block_number, e.log_index) in (${list})
    order by e.block_number, e.log_index`);
  return res.rows.map(toEventView);
}

async function findAccesses(db: Db, scope: Scope, h: Hash): Promise<VerifyMatch[]> {
  const rows = await db
    .select()
    .from(accesses)
    .where(
      and(
        eq(accesses.payloadHash, h),
        // An access belongs to both sides: visible to the accessor's and to the owner's region.
        or(scopeCondition(scope, accesses.accessorRegion), scopeCondition(scope, accesses.ownerRegion)),
      ),
    )
    .limit(20);
  return Promise.all(
    rows.map(async (r) => ({
      kind: 'access' as const,
      payloadHash: h,
      grantId: r.grantId,
      datasetId: r.datasetId,
      accessor: r.accessor,
      owner: r.owner,
      mode: r.mode,
      purpose: r.purpose,
      recordCount: r.recordCount,
      sensitivity: r.sensitivity,
      events: await eventsAt(db, r.chainId, [{ block: r.blockNumber, log: r.logIndex }]),
    })),
  );
}

/** A subject's history as a match carries it: the visible events and how many were left out. */
async function historyOf(
  db: Db,
  scope: Scope,
  chainId: number,
  kind: 'invoice' | 'certificate',
  h: Hash,
): Promise<{ events: ChainEventView[]; hidden: number }> {
  const { events, hidden } = await subjectHistory(db, scope, chainId, kind, h);
  return { events, hidden };
}

async function findInvoices(db: Db, scope: Scope, h: Hash): Promise<VerifyMatch[]> {
  // A never-issued invoice has no region: only a nation-wide scope sees it.
  const rows = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.invoiceHash, h), scopeCondition(scope, invoices.regionCode)));
  return Promise.all(
    rows.map(async (r) => ({
      kind: 'invoice' as const,
      invoiceHash: h,
      status:
        r.issuedBlock === null
          ? ('never_issued' as const)
          : r.voided
            ? ('voided' as const)
            : r.reimbursementCount > 0
              ? ('reimbursed' as const)
              : ('issued' as const),
      issuer: r.issuer,
      regionCode: r.regionCode,
      amountFen: r.amountFen === null ? null : r.amountFen.toString(),
      reimbursedFen: r.reimbursedFen.toString(),
      reimbursementCount: r.reimbursementCount,
      voided: r.voided,
      ...(await historyOf(db, scope, r.chainId, 'invoice', h)),
    })),
  );
}

async function findCertificates(db: Db, scope: Scope, h: Hash): Promise<VerifyMatch[]> {
  const rows = await db
    .select()
    .from(certificates)
    .where(and(eq(certificates.certHash, h), scopeCondition(scope, certificates.regionCode)));
  return Promise.all(
    rows.map(async (r) => ({
      kind: 'certificate' as const,
      certHash: h,
      status:
        r.issuedBlock === null
          ? ('never_issued' as const)
          : r.revoked
            ? ('revoked' as const)
            : ('valid' as const),
      issuer: r.issuer,
      certType: r.certType,
      regionCode: r.regionCode,
      verificationCount: r.verificationCount,
      ...(await historyOf(db, scope, r.chainId, 'certificate', h)),
    })),
  );
}

const grantee = alias(orgs, 'grantee_org');
const grantor = alias(orgs, 'grantor_org');

async function findGrants(db: Db, scope: Scope, h: Hash): Promise<VerifyMatch[]> {
  const rows = await db
    .select({ g: grants, granteeRegion: grantee.regionCode, grantorRegion: grantor.regionCode })
    .from(grants)
    .leftJoin(grantee, and(eq(grantee.chainId, grants.chainId), eq(grantee.address, grants.grantee)))
    .leftJoin(grantor, and(eq(grantor.chainId, grants.chainId), eq(grantor.address, grants.grantor)))
    .where(eq(grants.grantId, h));
  const visible = rows.filter(
    (r) =>
      scope.regionCode === null ||
      [r.granteeRegion, r.grantorRegion].some((c) => c !== null && inScope(scope, c)),
  );
  const now = Date.now() / 1000;
  return Promise.all(
    visible.map(async ({ g }) => {
      const history = await subjectHistory(db, scope, g.chainId, 'grant', h);
      return {
        kind: 'grant' as const,
        grantId: h,
        status: g.revoked
          ? ('revoked' as const)
          : g.validUntil < now
            ? ('expired' as const)
            : ('active' as const),
        grantee: g.grantee,
        grantor: g.grantor,
        validUntil: g.validUntil,
        accessCount: g.accessCount,
        events: history.events,
        truncated: history.truncated,
        hidden: history.hidden,
      };
    }),
  );
}

async function findCases(db: Db, scope: Scope, h: Hash): Promise<VerifyMatch[]> {
  const rows = await db
    .select()
    .from(cases)
    .where(and(eq(cases.caseId, h), scopeCondition(scope, cases.regionCode)));
  const out: VerifyMatch[] = [];
  for (const r of rows) {
    const res = await db.execute<EventRow>(sql`
      select ${EVENT_COLUMNS}
      from chain_events e left join blocks b on b.chain_id = e.chain_id and b.number = e.block_number
      where e.chain_id = ${r.chainId} and e.block_number = ${r.blockNumber}
        and e.event_name = 'CaseCompleted' and e.args->>'caseId' = ${h}`);
    out.push({
      kind: 'case',
      caseId: h,
      regionCode: r.regionCode,
      org: r.org,
      events: res.rows.map(toEventView),
    });
  }
  return out;
}

/**
 * A transaction's events, each shown only when it concerns the caller's region: an org it names
 * (accessor, issuer, …) or a regionCode it carries lies in scope. Events of other regions in the
 * same transaction stay hidden.
 */
async function findTransaction(db: Db, scope: Scope, h: Hash): Promise<VerifyMatch[]> {
  const res = await db.execute<EventRow>(sql`
    select ${EVENT_COLUMNS}
    from chain_events e left join blocks b on b.chain_id = e.chain_id and b.number = e.block_number
    where e.tx_hash = ${h}
    order by e.chain_id, e.block_number, e.log_index
    limit 500`);
  let events = res.rows.map(toEventView);
  if (events.length === 0) return [];
  if (scope.regionCode !== null) {
    const addresses = [
      ...new Set(
        events.flatMap((e) => ADDRESS_FIELDS.map((k) => e.args[k]).filter((v) => typeof v === 'string')),
      ),
    ];
    const regions = new Map<string, number>();
    if (addresses.length > 0) {
      const rows = await db
        .select({ chainId: orgs.chainId, address: orgs.address, regionCode: orgs.regionCode })
        .from(orgs)
        .where(inArray(orgs.address, addresses as Address[]));
      for (const r of rows) regions.set(`${r.chainId}:${r.address}`, r.regionCode);
    }
    events = events.filter((e) => {
      const codes = ADDRESS_FIELDS.map((k) => regions.get(`${e.chainId}:${String(e.args[k])}`));
      if (typeof e.args.regionCode === 'number') codes.push(e.args.regionCode);
      return codes.some((c) => c !== undefined && inScope(scope, c));
    });
  }
  return events.length ? [{ kind: 'transaction', txHash: h, events }] : [];
}

/**
 * Looks a 32-byte hash up as everything it can be: an access's payload hash, an invoice, a
 * certificate, a grant, a case, a transaction. Region scope applies to each kind in SQL (or, for
 * a transaction's events, per event): what the caller may not see is simply not found.
 */
/** The orgs a match's facts name, so each shows with its name (the provider is in no access event). */
function namedOrgs(m: VerifyMatch): (Address | null)[] {
  switch (m.kind) {
    case 'access':
      return [m.accessor, m.owner];
    case 'invoice':
    case 'certificate':
      return [m.issuer];
    case 'grant':
      return [m.grantee, m.grantor];
    case 'case':
      return [m.org];
    case 'transaction':
      return [];
  }
}

export async function verifyHash(db: Db, scope: Scope, hash: Hash): Promise<VerifyResult> {
  const h = hash.toLowerCase() as Hash;
  const found = await Promise.all([
    findAccesses(db, scope, h),
    findInvoices(db, scope, h),
    findCertificates(db, scope, h),
    findGrants(db, scope, h),
    findCases(db, scope, h),
    findTransaction(db, scope, h),
  ]);
  const matches = found.flat();
  const chainId = matches[0]?.events[0]?.chainId;
  const names =
    chainId === undefined
      ? { orgs: {}, datasets: {} }
      : await namesOf(
          db,
          chainId,
          matches.flatMap((m) => m.events),
          matches.flatMap(namedOrgs),
        );
  return { hash: h, matches, names };
}
