import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Address, Hash } from 'viem';
import type { Db } from '../../db/client';
import { ADDRESS_FIELDS } from '~/domain/event-fields';
import { incidentActivity, incidents } from '../../db/schema/incidents';
import { datasets, orgs } from '../../db/schema/projections';
import { notFound } from '../errors';
import { scopeCondition, type Scope } from '../scope';
import type { IncidentListRow } from './incidents-list';

/** A raw chain event as the UI shows it: coordinates, proof and decoded fields. */
export interface ChainEventView {
  chainId: number;
  blockNumber: number;
  logIndex: number;
  txHash: Hash;
  blockHash: Hash | null;
  blockTime: Date;
  contract: string;
  eventName: string;
  args: Record<string, string | number>;
}

export type SubjectKind = 'grant' | 'invoice' | 'certificate';

/** All events touching one grant / invoice / certificate, in chain order: why the rule fired. */
export interface SubjectHistory {
  kind: SubjectKind;
  key: Hash;
  events: ChainEventView[];
  /** More events exist than shown (a grant with thousands of accesses). */
  truncated: boolean;
  /** Events left out because no organisation they name lies in the caller's scope. */
  hidden: number;
}

export interface IncidentDetail {
  incident: IncidentListRow & { orgKind: number | null; findingKey: string; evidenceBlock: number };
  evidence: ChainEventView[];
  subjects: SubjectHistory[];
  activity: (typeof incidentActivity.$inferSelect)[];
  /** Names of the orgs and datasets the events mention, for decoded fields. */
  names: EventNames;
}

/** Events per subject shown on the page; the rest is one export or a /flows drill-down away. */
export const HISTORY_LIMIT = 200;

export interface EventRow extends Record<string, unknown> {
  chain_id: number;
  block_number: string | number;
  log_index: number;
  tx_hash: Hash;
  block_hash: Hash | null;
  block_time: Date | string;
  contract: string;
  event_name: string;
  args: Record<string, string | number>;
}

export function toEventView(r: EventRow): ChainEventView {
  return {
    chainId: r.chain_id,
    blockNumber: Number(r.block_number),
    logIndex: r.log_index,
    txHash: r.tx_hash,
    blockHash: r.block_hash,
    blockTime: new Date(r.block_time),
    contract: r.contract,
    eventName: r.event_name,
    args: r.args,
  };
}

/** The select list of EventRow over `chain_events e left join blocks b`. */
export const EVENT_COLUMNS = sql.raw(
  'e.chain_id, e.block_number, e.log_index, e.tx_hash, b.hash as block_hash, e.block_time, e.contract, e.event_name, e.args',
);

/**
 * The events of a subject. A grant's accesses are found through the typed `accesses` table (its
 * grant index) and its grant / revoke through the grants projection's coordinates, never by a scan
 * of JSON in raw events; invoices and certificates have few events each, found by event name
 * (indexed) and then by the hash in args.
 */
export async function subjectHistory(
  db: Db,
  scope: Scope,
  chainId: number,
  kind: SubjectKind,
  key: Hash,
): Promise<SubjectHistory> {
  const coords =
    kind === 'grant'
      ? sql`(e.block_number, e.log_index) in (
          select a.block_number, a.log_index from accesses a where a.chain_id = ${chainId} and a.grant_id = ${key}
          union all select g.granted_block, g.granted_log_index from grants g where g.chain_id = ${chainId} and g.grant_id = ${key}
          union all select g.revoked_block, g.revoked_log_index from grants g
            where g.chain_id = ${chainId} and g.grant_id = ${key} and g.revoked_block is not null)`
      : kind === 'invoice'
        ? sql`e.event_name in ('InvoiceIssued', 'InvoiceReimbursed', 'InvoiceVoided') and e.args->>'invoiceHash' = ${key}`
        : sql`e.event_name in ('CertificateIssued', 'CertificateRevoked', 'CertificateVerified') and e.args->>'certHash' = ${key}`;
  const res = await db.execute<EventRow & { hidden: number }>(sql`
    with h as (
      select ${EVENT_COLUMNS}, ${visibleTo(scope)} as visible
      from chain_events e left join blocks b on b.chain_id = e.chain_id and b.number = e.block_number
      where e.chain_id = ${chainId} and ${coords})
    select h.*, (select count(*) from h where not h.visible)::int as hidden
    from h where h.visible
    order by h.block_number, h.log_index
    limit ${HISTORY_LIMIT + 1}`);
  const rows = res.rows.map(toEventView);
  const hidden = res.rows[0]?.hidden ?? (await countHidden(db, scope, chainId, coords));
  return {
    kind,
    key,
    events: rows.slice(0, HISTORY_LIMIT),
    truncated: rows.length > HISTORY_LIMIT,
    hidden,
  };
}

/**
 * Whether a scoped caller may see event `e` of a subject's history: some organisation the event
 * names (accessor, provider, issuer, claimant, verifier…) is registered inside the caller's region.
 * A subject in scope can have events of other regions (an invoice reimbursed in another province);
 * those are counted, not shown (docs/security.md, "What a scoped user may see").
 */
function visibleTo(scope: Scope): SQL {
  if (scope.regionCode === null) return sql`true`;
  const fields = sql.join(
    ADDRESS_FIELDS.map((f) => sql`${f}`),
    sql`, `,
  );
  return sql`exists (
    select 1 from json_each_text(e.args) kv
    join orgs o on o.chain_id = e.chain_id and o.address = lower(kv.value)
    where kv.key in (${fields}) and ${scopeCondition(scope, sql`o.region_code`)})`;
}

/** The hidden count when no event is visible (the main query then returns no row to carry it). */
async function countHidden(db: Db, scope: Scope, chainId: number, coords: SQL): Promise<number> {
  if (scope.regionCode === null) return 0;
  const res = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from chain_events e
    where e.chain_id = ${chainId} and ${coords} and not ${visibleTo(scope)}`);
  return res.rows[0]?.n ?? 0;
}

/** The grants, invoices and certificates the evidence events are about, in first-seen order. */
function subjectsOf(evidence: ChainEventView[]): { kind: SubjectKind; key: Hash }[] {
  const seen = new Map<string, { kind: SubjectKind; key: Hash }>();
  for (const e of evidence) {
    const pick = (kind: SubjectKind, v: unknown) => {
      if (typeof v === 'string' && !seen.has(`${kind}:${v}`))
        seen.set(`${kind}:${v}`, { kind, key: v as Hash });
    };
    pick('grant', e.args.grantId);
    pick('invoice', e.args.invoiceHash);
    pick('certificate', e.args.certHash);
  }
  return [...seen.values()];
}

/** Loads one incident of the caller's scope with everything the detail page shows. */
export async function getIncidentDetail(db: Db, scope: Scope, id: number): Promise<IncidentDetail> {
  const [row] = await db
    .select({
      id: incidents.id,
      chainId: incidents.chainId,
      rule: incidents.rule,
      findingKey: incidents.findingKey,
      severity: incidents.severity,
      status: incidents.status,
      regionCode: incidents.regionCode,
      orgAddress: incidents.orgAddress,
      orgName: orgs.name,
      orgKind: orgs.kind,
      summary: incidents.summary,
      facts: incidents.facts,
      evidenceBlock: incidents.evidenceBlock,
      detectedAt: incidents.detectedAt,
      occurredAt: incidents.occurredAt,
      assignee: incidents.assignee,
      updatedAt: incidents.updatedAt,
    })
    .from(incidents)
    .leftJoin(orgs, and(eq(orgs.chainId, incidents.chainId), eq(orgs.address, incidents.orgAddress)))
    .where(and(eq(incidents.id, id), scopeCondition(scope, incidents.regionCode)));
  // Out of scope reads exactly like missing: the id of another region's incident reveals nothing.
  if (!row) throw notFound(`incident ${id}`);

  const ev = await db.execute<EventRow>(sql`
    select ${EVENT_COLUMNS}
    from incident_evidence ie
    join chain_events e on e.chain_id = ie.chain_id and e.block_number = ie.block_number and e.log_index = ie.log_index
    left join blocks b on b.chain_id = e.chain_id and b.number = e.block_number
    where ie.incident_id = ${id}
    order by e.block_number, e.log_index`);
  const evidence = ev.rows.map(toEventView);
  const subjects = await Promise.all(
    subjectsOf(evidence).map((s) => subjectHistory(db, scope, row.chainId, s.kind, s.key)),
  );
  const activity = await db
    .select()
    .from(incidentActivity)
    .where(eq(incidentActivity.incidentId, id))
    .orderBy(asc(incidentActivity.at), asc(incidentActivity.id));

  const names = await namesOf(db, row.chainId, [...evidence, ...subjects.flatMap((s) => s.events)]);
  return {
    incident: row,
    evidence,
    subjects,
    activity,
    names,
  };
}

export interface EventNames {
  orgs: Record<string, { name: string; regionCode: number }>;
  datasets: Record<string, string>;
}

/** Names of the orgs and datasets a set of events mentions (two indexed lookups). */
export async function namesOf(
  db: Db,
  chainId: number,
  events: ChainEventView[],
  /** Orgs a page names beside the events (a dataset's owner is in no access event). */
  extra: readonly (Address | null)[] = [],
): Promise<EventNames> {
  const addresses = new Set<Address>(extra.filter((a): a is Address => a !== null));
  const datasetIds = new Set<Hash>();
  for (const e of events) {
    for (const k of ADDRESS_FIELDS) if (typeof e.args[k] === 'string') addresses.add(e.args[k] as Address);
    if (typeof e.args.datasetId === 'string') datasetIds.add(e.args.datasetId as Hash);
  }
  const [orgRows, dsRows] = await Promise.all([
    addresses.size
      ? db
          .select({ address: orgs.address, name: orgs.name, regionCode: orgs.regionCode })
          .from(orgs)
          .where(and(eq(orgs.chainId, chainId), inArray(orgs.address, [...addresses])))
      : [],
    datasetIds.size
      ? db
          .select({ id: datasets.datasetId, title: datasets.title })
          .from(datasets)
          .where(and(eq(datasets.chainId, chainId), inArray(datasets.datasetId, [...datasetIds])))
      : [],
  ]);
  return {
    orgs: Object.fromEntries(orgRows.map((o) => [o.address, { name: o.name, regionCode: o.regionCode }])),
    datasets: Object.fromEntries(dsRows.map((d) => [d.id, d.title])),
  };
}
