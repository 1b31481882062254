import { and, asc, count, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { orgs } from '../../db/schema/projections';
import { scopedRegionFilter, type Scope } from '../scope';

export interface OrgFilter {
  kind?: number;
  region?: number;
  /** Part of the name, or the start of the address. */
  search?: string;
  active?: boolean;
}

export interface OrgListRow {
  chainId: number;
  address: Address;
  name: string;
  kind: number;
  regionCode: number;
  active: boolean;
  registeredAt: Date;
  datasetsOwned: number;
  grantsGiven: number;
  accessesMade: number;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function orgConditions(scope: Scope, f: OrgFilter): SQL {
  const search = f.search?.trim();
  const parts: (SQL | undefined)[] = [
    scopedRegionFilter(scope, orgs.regionCode, f.region ?? null),
    f.kind === undefined ? undefined : eq(orgs.kind, f.kind),
    f.active === undefined ? undefined : eq(orgs.active, f.active),
    search
      ? /^0x[0-9a-f]*$/i.test(search)
        ? ilike(orgs.address, `${escapeLike(search.toLowerCase())}%`)
        : ilike(orgs.name, `%${escapeLike(search)}%`)
      : undefined,
  ];
  return and(...parts) ?? sql`true`;
}

// Per-org totals computed once per list over the (small) projections and the daily flow rollup,
// never over the raw accesses table, then joined to the page of orgs.
const owned = sql`(select chain_id, owner as address, count(*)::int as n from datasets group by 1, 2)`;
const given = sql`(select chain_id, grantor as address, count(*)::int as n from grants group by 1, 2)`;
const made = sql`(select chain_id, accessor_org as address, sum(accesses)::int as n from flow_daily group by 1, 2)`;

/** 成员机构: one page of orgs in the caller's scope with their sharing activity, and the total. */
export async function listOrgs(
  db: Db,
  scope: Scope,
  f: OrgFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: OrgListRow[]; total: number }> {
  const where = orgConditions(scope, f);
  const [rows, totals] = await Promise.all([
    db
      .select({
        chainId: orgs.chainId,
        address: orgs.address,
        name: orgs.name,
        kind: orgs.kind,
        regionCode: orgs.regionCode,
        active: orgs.active,
        registeredAt: orgs.registeredAt,
        datasetsOwned: sql<number>`coalesce(ow.n, 0)`,
        grantsGiven: sql<number>`coalesce(gv.n, 0)`,
        accessesMade: sql<number>`coalesce(md.n, 0)`,
      })
      .from(orgs)
      .leftJoin(sql`${owned} ow`, sql`ow.chain_id = ${orgs.chainId} and ow.address = ${orgs.address}`)
      .leftJoin(sql`${given} gv`, sql`gv.chain_id = ${orgs.chainId} and gv.address = ${orgs.address}`)
      .leftJoin(sql`${made} md`, sql`md.chain_id = ${orgs.chainId} and md.address = ${orgs.address}`)
      .where(where)
      .orderBy(asc(orgs.regionCode), asc(orgs.name), asc(orgs.address))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(orgs).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}
