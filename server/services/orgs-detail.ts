import { and, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { incidents } from '../../db/schema/incidents';
import { accesses, datasets, grants, orgs } from '../../db/schema/projections';
import { flowPairMonthly } from '../../db/schema/rollups';
import { notFound } from '../errors';
import { scopeCondition, type Scope } from '../scope';
import type { IncidentListRow } from './incidents-list';

/** Rows per section of the org page; an org's full history is in /flows and the exports. */
const SECTION_LIMIT = 100;

export interface Counterparty {
  address: Address;
  name: string | null;
  regionCode: number | null;
  accesses: number;
  records: number;
}

const counterpartyOrg = alias(orgs, 'counterparty');
const datasetOwner = alias(orgs, 'dataset_owner');
const grantee = alias(orgs, 'grantee_org');
const grantor = alias(orgs, 'grantor_org');

async function counterparties(db: Db, chainId: number, address: Address, side: 'owner' | 'accessor') {
  // All-time sums per pair: element 31 of each month's running totals, one row per pair and month.
  const f = flowPairMonthly;
  const self = side === 'owner' ? f.ownerOrg : f.accessorOrg;
  const other = side === 'owner' ? f.accessorOrg : f.ownerOrg;
  return db
    .select({
      address: other,
      name: counterpartyOrg.name,
      regionCode: counterpartyOrg.regionCode,
      accesses: sql<number>`sum(${f.accessesCum}[31])::int`,
      records: sql<number>`sum(${f.recordsCum}[31])::bigint`.mapWith(Number),
    })
    .from(f)
    .leftJoin(
      counterpartyOrg,
      and(eq(counterpartyOrg.chainId, f.chainId), eq(counterpartyOrg.address, other)),
    )
    .where(and(eq(f.chainId, chainId), eq(self, address)))
    .groupBy(other, counterpartyOrg.name, counterpartyOrg.regionCode)
    .orderBy(desc(sql`sum(${f.recordsCum}[31])`), other)
    .limit(SECTION_LIMIT);
}

/**
 * One member: what it shared as a dataset owner (its datasets, who read them), what it consumed
 * as an accessor (whose data, its latest accesses with their tx), the grants it gave, and its
 * incidents. An org outside the caller's scope is not found; its counterparties may lie in other
 * regions (that is the point of a flow) and are named.
 */
export async function getOrgDetail(db: Db, scope: Scope, p: { address: Address; chainId?: number }) {
  const [org] = await db
    .select()
    .from(orgs)
    .where(
      and(
        eq(orgs.address, p.address),
        p.chainId === undefined ? undefined : eq(orgs.chainId, p.chainId),
        scopeCondition(scope, orgs.regionCode),
      ),
    )
    .orderBy(desc(orgs.chainId))
    .limit(1);
  if (!org) throw notFound(`org ${p.address}`);
  const chainId = org.chainId;
  const a = org.address;

  const [ownedDatasets, readers, sources, recentAccesses, granted, received, incidentRows, incidentTotal] =
    await Promise.all([
      db
        .select({
          datasetId: datasets.datasetId,
          title: datasets.title,
          category: datasets.category,
          sensitivity: datasets.sensitivity,
          // A join, not a correlated subquery: inside sql`` the outer columns rendered unqualified
          // and bound to the inner table, so every dataset counted every grant on the chain.
          grants: sql<number>`count(${grants.grantId})::int`,
        })
        .from(datasets)
        .leftJoin(grants, and(eq(grants.chainId, datasets.chainId), eq(grants.datasetId, datasets.datasetId)))
        .where(and(eq(datasets.chainId, chainId), eq(datasets.owner, a)))
        .groupBy(datasets.chainId, datasets.datasetId)
        .orderBy(datasets.title, datasets.registeredBlock)
        .limit(SECTION_LIMIT),
      counterparties(db, chainId, a, 'owner'),
      counterparties(db, chainId, a, 'accessor'),
      db
        .select({
          blockNumber: accesses.blockNumber,
          logIndex: accesses.logIndex,
          txHash: accesses.txHash,
          blockTime: accesses.blockTime,
          datasetId: accesses.datasetId,
          title: datasets.title,
          owner: accesses.owner,
          ownerName: datasetOwner.name,
          mode: accesses.mode,
          purpose: accesses.purpose,
          recordCount: accesses.recordCount,
          payloadHash: accesses.payloadHash,
        })
        .from(accesses)
        .leftJoin(
          datasets,
          and(eq(datasets.chainId, accesses.chainId), eq(datasets.datasetId, accesses.datasetId)),
        )
        .leftJoin(
          datasetOwner,
          and(eq(datasetOwner.chainId, accesses.chainId), eq(datasetOwner.address, accesses.owner)),
        )
        .where(and(eq(accesses.chainId, chainId), eq(accesses.accessor, a)))
        .orderBy(desc(accesses.blockTime), desc(accesses.blockNumber), desc(accesses.logIndex))
        .limit(20),
      grantList(db, chainId, eq(grants.grantor, a)),
      grantList(db, chainId, eq(grants.grantee, a)),
      db
        .select({
          id: incidents.id,
          chainId: incidents.chainId,
          rule: incidents.rule,
          severity: incidents.severity,
          status: incidents.status,
          regionCode: incidents.regionCode,
          orgAddress: incidents.orgAddress,
          summary: incidents.summary,
          facts: incidents.facts,
          detectedAt: incidents.detectedAt,
          occurredAt: incidents.occurredAt,
          assignee: incidents.assignee,
          updatedAt: incidents.updatedAt,
        })
        .from(incidents)
        .where(
          and(
            eq(incidents.chainId, chainId),
            eq(incidents.orgAddress, a),
            scopeCondition(scope, incidents.regionCode),
          ),
        )
        .orderBy(desc(incidents.id))
        .limit(SECTION_LIMIT),
      db
        .select({ n: sql<number>`count(*)::int` })
        .from(incidents)
        .where(
          and(
            eq(incidents.chainId, chainId),
            eq(incidents.orgAddress, a),
            scopeCondition(scope, incidents.regionCode),
          ),
        ),
    ]);
  return {
    org,
    shared: { datasets: ownedDatasets, readers },
    consumed: { sources, recentAccesses, grantsReceived: received },
    granted,
    incidents: {
      rows: incidentRows.map((r): IncidentListRow => ({ ...r, orgName: org.name })),
      total: incidentTotal[0]?.n ?? 0,
    },
  };
}

export type OrgDetail = Awaited<ReturnType<typeof getOrgDetail>>;

function grantList(db: Db, chainId: number, side: ReturnType<typeof eq>) {
  return db
    .select({
      grantId: grants.grantId,
      datasetId: grants.datasetId,
      title: datasets.title,
      grantee: grants.grantee,
      granteeName: grantee.name,
      grantor: grants.grantor,
      grantorName: grantor.name,
      purpose: grants.purpose,
      modes: grants.modes,
      validUntil: grants.validUntil,
      revoked: grants.revoked,
      accessCount: grants.accessCount,
      grantedAt: grants.grantedAt,
      grantedTx: grants.grantedTx,
    })
    .from(grants)
    .leftJoin(datasets, and(eq(datasets.chainId, grants.chainId), eq(datasets.datasetId, grants.datasetId)))
    .leftJoin(grantee, and(eq(grantee.chainId, grants.chainId), eq(grantee.address, grants.grantee)))
    .leftJoin(grantor, and(eq(grantor.chainId, grants.chainId), eq(grantor.address, grants.grantor)))
    .where(and(eq(grants.chainId, chainId), side))
    .orderBy(desc(grants.grantedBlock))
    .limit(SECTION_LIMIT);
}
