import { and, between, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Address, Hash } from 'viem';
import type { Db } from '../../db/client';
import { blocks, cursors } from '../../db/schema/chain';
import { flowRegionDaily } from '../../db/schema/rollups';
import { accesses, datasets, grants, orgs } from '../../db/schema/projections';
import type { AuditActor } from '../audit';
import { writeAudit } from '../audit';
import { notFound } from '../errors';
import type { Scope } from '../scope';
import { resolveChain } from './chain-select';
import {
  flowAttributes,
  flowScope,
  regionKeySql,
  regionLevel,
  shanghaiDayRange,
  type FlowFilter,
  type FlowGroup,
} from './flows-filter';
import { resolvePeriod, type ResolvedPeriod } from './period';

const ZERO: Address = '0x0000000000000000000000000000000000000000';
const ownerOrg = alias(orgs, 'owner_org_row');
const accessorOrg = alias(orgs, 'accessor_org_row');
/** The names of a page's orgs, joined after its LIMIT. */
const pageOwner = alias(orgs, 'page_owner');
const pageAccessor = alias(orgs, 'page_accessor');

export interface AccessRow {
  chainId: number;
  blockNumber: number;
  logIndex: number;
  txHash: Hash;
  blockTime: Date;
  owner: Address | null;
  ownerName: string | null;
  accessor: Address;
  accessorName: string | null;
  datasetTitle: string | null;
  category: number;
  sensitivity: number;
  mode: number;
  purpose: number;
  recordCount: number;
}

export interface AccessPage {
  rows: AccessRow[];
  /** Keyset cursor of the next (older) page, or null at the end. */
  next: { blockNumber: number; logIndex: number } | null;
}

export interface FlowSelection {
  group: FlowGroup;
  source: string;
  target: string;
}

/** The accesses behind one provider → consumer link, matched at the link's own grouping. */
function linkCondition(scope: Scope, f: FlowFilter, link: FlowSelection): SQL {
  if (link.group === 'org')
    return and(
      sql`coalesce(${accesses.owner}, ${ZERO}) = ${link.source.toLowerCase()}`,
      eq(accesses.accessor, link.target.toLowerCase() as Address),
    ) as SQL;
  if (link.group === 'kind')
    return and(
      sql`coalesce(${ownerOrg.kind}, -1) = ${Number(link.source)}`,
      sql`coalesce(${accessorOrg.kind}, -1) = ${Number(link.target)}`,
    ) as SQL;
  const level = regionLevel(scope, f);
  return and(
    sql`${regionKeySql(accesses.ownerRegion, level)} = ${Number(link.source)}`,
    sql`${regionKeySql(accesses.accessorRegion, level)} = ${Number(link.target)}`,
  ) as SQL;
}

/**
 * The days of `period` a region-scoped list has to walk, from the per-region rollup: up to the
 * last day with an access in the scope, or null when it has none. The list walks every access of
 * the period backwards and keeps those in scope, so a scope with no accesses (a region whose orgs
 * never share data, or a flood of unregistered actors) walked all of them: 137 ms at 200k, seconds
 * at millions. Only while the rollups hold every indexed event (no backfill carrying a day's sums,
 * rollups/pending.ts); otherwise, and nation-wide, the whole period.
 */
async function scopedDays(
  db: Db,
  chainId: number,
  scope: Scope,
  f: FlowFilter,
  period: ResolvedPeriod,
): Promise<Pick<ResolvedPeriod, 'from' | 'to'> | null> {
  if (scope.regionCode === null && f.region === undefined) return period;
  const [row] = await db
    .select({
      last: sql<string | null>`max(${flowRegionDaily.day})`,
      settled: sql<boolean>`(select ${cursors.rollupsBlock} is null from ${cursors} where ${cursors.chainId} = ${chainId})`,
    })
    .from(flowRegionDaily)
    .where(
      and(
        eq(flowRegionDaily.chainId, chainId),
        between(flowRegionDaily.day, period.from, period.to),
        flowScope(scope, flowRegionDaily, f.region),
        f.mode === undefined ? undefined : eq(flowRegionDaily.mode, f.mode),
      ),
    );
  if (!row?.settled) return period;
  return row.last === null ? null : { from: period.from, to: row.last };
}

/** The accesses of a flow, newest first, keyset-paged by (block, log index). */
export async function listFlowAccesses(
  db: Db,
  scope: Scope,
  f: FlowFilter,
  link: FlowSelection | null,
  page: { limit: number; before?: { blockNumber: number; logIndex: number } },
): Promise<AccessPage> {
  const chain = await resolveChain(db, f.chainId);
  if (chain.chainId === null) return { rows: [], next: null };
  const period = await scopedDays(db, chain.chainId, scope, f, resolvePeriod(f, chain.latestDay));
  if (period === null) return { rows: [], next: null };
  // Page first, name afterwards: the page is ≤ limit+1 rows found by the primary key walked
  // backwards, and the names of its few orgs and datasets are joined to the page by key, in the
  // same statement. (Joining names before the LIMIT lets a stale-statistics plan nest-loop over
  // every access of the period.)
  let q = db
    .select({
      chainId: accesses.chainId,
      blockNumber: accesses.blockNumber,
      logIndex: accesses.logIndex,
      txHash: accesses.txHash,
      blockTime: accesses.blockTime,
      owner: accesses.owner,
      accessor: accesses.accessor,
      datasetId: accesses.datasetId,
      category: accesses.category,
      sensitivity: accesses.sensitivity,
      mode: accesses.mode,
      purpose: accesses.purpose,
      recordCount: accesses.recordCount,
    })
    .from(accesses)
    .$dynamic();
  if (link?.group === 'kind')
    q = q
      .leftJoin(ownerOrg, and(eq(ownerOrg.chainId, accesses.chainId), eq(ownerOrg.address, accesses.owner)))
      .leftJoin(
        accessorOrg,
        and(eq(accessorOrg.chainId, accesses.chainId), eq(accessorOrg.address, accesses.accessor)),
      );
  const keyed = q
    .where(
      and(
        eq(accesses.chainId, chain.chainId),
        shanghaiDayRange(accesses.blockTime, period),
        flowAttributes(scope, accesses, f),
        link ? linkCondition(scope, f, link) : undefined,
        page.before
          ? sql`(${accesses.blockNumber}, ${accesses.logIndex}) < (${page.before.blockNumber}, ${page.before.logIndex})`
          : undefined,
      ),
    )
    .orderBy(desc(accesses.blockNumber), desc(accesses.logIndex))
    .limit(page.limit + 1)
    .as('page');
  const rows: AccessRow[] = await db
    .select({
      chainId: keyed.chainId,
      blockNumber: keyed.blockNumber,
      logIndex: keyed.logIndex,
      txHash: keyed.txHash,
      blockTime: keyed.blockTime,
      owner: keyed.owner,
      ownerName: pageOwner.name,
      accessor: keyed.accessor,
      accessorName: pageAccessor.name,
      datasetTitle: datasets.title,
      category: keyed.category,
      sensitivity: keyed.sensitivity,
      mode: keyed.mode,
      purpose: keyed.purpose,
      recordCount: keyed.recordCount,
    })
    .from(keyed)
    .leftJoin(pageOwner, and(eq(pageOwner.chainId, keyed.chainId), eq(pageOwner.address, keyed.owner)))
    .leftJoin(
      pageAccessor,
      and(eq(pageAccessor.chainId, keyed.chainId), eq(pageAccessor.address, keyed.accessor)),
    )
    .leftJoin(datasets, and(eq(datasets.chainId, keyed.chainId), eq(datasets.datasetId, keyed.datasetId)))
    .orderBy(desc(keyed.blockNumber), desc(keyed.logIndex));
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown[shown.length - 1];
  return {
    rows: shown,
    next: more && last ? { blockNumber: last.blockNumber, logIndex: last.logIndex } : null,
  };
}

export interface AccessProof extends AccessRow {
  blockHash: Hash | null;
  grantId: Hash;
  datasetId: Hash;
  payloadHash: Hash;
  ownerRegion: number;
  accessorRegion: number;
  grant: {
    grantor: Address;
    grantee: Address;
    purpose: number;
    modes: number;
    validUntil: number;
    revoked: boolean;
    grantedTx: Hash;
    grantedBlock: number;
  } | null;
}

/**
 * One access with everything that proves it on chain. Out-of-scope accesses are "not found"
 * (their existence is not disclosed). Every view is audited: who looked at which access.
 */
export async function viewAccessProof(
  deps: { db: Db; actor: AuditActor; ip: string | null },
  scope: Scope,
  key: { chainId?: number; blockNumber: number; logIndex: number },
): Promise<AccessProof> {
  const { db } = deps;
  const chain = await resolveChain(db, key.chainId);
  if (chain.chainId === null) throw notFound('access');
  const [row] = await db
    .select({
      chainId: accesses.chainId,
      blockNumber: accesses.blockNumber,
      logIndex: accesses.logIndex,
      txHash: accesses.txHash,
      blockTime: accesses.blockTime,
      blockHash: blocks.hash,
      owner: accesses.owner,
      ownerName: ownerOrg.name,
      accessor: accesses.accessor,
      accessorName: accessorOrg.name,
      datasetTitle: datasets.title,
      datasetId: accesses.datasetId,
      grantId: accesses.grantId,
      payloadHash: accesses.payloadHash,
      category: accesses.category,
      sensitivity: accesses.sensitivity,
      mode: accesses.mode,
      purpose: accesses.purpose,
      recordCount: accesses.recordCount,
      ownerRegion: accesses.ownerRegion,
      accessorRegion: accesses.accessorRegion,
      grantor: grants.grantor,
      grantee: grants.grantee,
      grantPurpose: grants.purpose,
      grantModes: grants.modes,
      validUntil: grants.validUntil,
      revoked: grants.revoked,
      grantedTx: grants.grantedTx,
      grantedBlock: grants.grantedBlock,
    })
    .from(accesses)
    .leftJoin(blocks, and(eq(blocks.chainId, accesses.chainId), eq(blocks.number, accesses.blockNumber)))
    .leftJoin(ownerOrg, and(eq(ownerOrg.chainId, accesses.chainId), eq(ownerOrg.address, accesses.owner)))
    .leftJoin(
      accessorOrg,
      and(eq(accessorOrg.chainId, accesses.chainId), eq(accessorOrg.address, accesses.accessor)),
    )
    .leftJoin(
      datasets,
      and(eq(datasets.chainId, accesses.chainId), eq(datasets.datasetId, accesses.datasetId)),
    )
    .leftJoin(grants, and(eq(grants.chainId, accesses.chainId), eq(grants.grantId, accesses.grantId)))
    .where(
      and(
        eq(accesses.chainId, chain.chainId),
        eq(accesses.blockNumber, key.blockNumber),
        eq(accesses.logIndex, key.logIndex),
        flowScope(scope, accesses),
      ),
    )
    .limit(1);
  if (!row) throw notFound('access');
  await writeAudit(db, {
    actor: deps.actor,
    action: 'proof.view',
    target: `access:${row.chainId}:${row.blockNumber}:${row.logIndex}`,
    details: { txHash: row.txHash },
    ip: deps.ip,
  });
  const {
    grantor,
    grantee,
    grantPurpose,
    grantModes,
    validUntil,
    revoked,
    grantedTx,
    grantedBlock,
    ...rest
  } = row;
  return {
    ...rest,
    grant:
      grantor && grantee && grantedTx
        ? {
            grantor,
            grantee,
            purpose: grantPurpose ?? 0,
            modes: grantModes ?? 0,
            validUntil: validUntil ?? 0,
            revoked: revoked ?? false,
            grantedTx,
            grantedBlock: grantedBlock ?? 0,
          }
        : null,
  };
}
