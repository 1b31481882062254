import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { orgs } from '../../db/schema/projections';
import type { RuleId } from '../../domain/rules';
import { deriveResponsible, RESPONSIBLE_PARTY } from '../../domain/supervision';

type Reader = Pick<Db, 'select' | 'execute'>;

export interface OrgRef {
  address: Address;
  name: string;
  regionCode: number;
}

/** Registered, active orgs of a chain among `addresses`. */
export async function findOrgs(
  db: Reader,
  chainId: number,
  addresses: string[],
): Promise<Map<string, OrgRef>> {
  if (addresses.length === 0) return new Map();
  const rows = await db
    .select({ address: orgs.address, name: orgs.name, regionCode: orgs.regionCode })
    .from(orgs)
    .where(
      and(eq(orgs.chainId, chainId), eq(orgs.active, true), inArray(orgs.address, addresses as Address[])),
    );
  return new Map(rows.map((r) => [r.address, r]));
}

/**
 * The responsible org the written rule (domain RESPONSIBLE_PARTY) gives for one incident, read from
 * the decoded fields of its evidence events; null when none is a registered member.
 */
export async function derivedResponsible(
  db: Reader,
  inc: { id: number; chainId: number; rule: string; orgAddress: string | null },
): Promise<OrgRef | null> {
  const res = await db.execute<{ args: Record<string, unknown> }>(sql`
    select e.args from incident_evidence ie
    join chain_events e on e.chain_id = ie.chain_id and e.block_number = ie.block_number and e.log_index = ie.log_index
    where ie.incident_id = ${inc.id}
    order by ie.block_number, ie.log_index`);
  const argsList = res.rows.map((r) => r.args);
  const fields = RESPONSIBLE_PARTY[inc.rule as RuleId] ?? [];
  const candidates = new Set<string>();
  for (const a of argsList)
    for (const f of fields) if (typeof a[f] === 'string') candidates.add(String(a[f]).toLowerCase());
  if (inc.orgAddress) candidates.add(inc.orgAddress);
  const known = await findOrgs(db, inc.chainId, [...candidates]);
  const picked = deriveResponsible(inc.rule, argsList, inc.orgAddress, (a) => known.has(a));
  return picked ? (known.get(picked) ?? null) : null;
}
