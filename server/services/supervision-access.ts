import { eq, sql, type SQL } from 'drizzle-orm';
import type { Address } from 'viem';
import type { Db } from '../../db/client';
import { users } from '../../db/schema/auth';
import { incidents } from '../../db/schema/incidents';
import { supervisionCases } from '../../db/schema/supervision';
import type { Caller } from '../auth/caller';
import { forbidden } from '../errors';
import { can } from '../permissions';
import { inScope, scopeCondition, type Scope } from '../scope';

/**
 * Who is looking at supervised cases: a regulator side (region scope) or one department (its org).
 * A department user sees only cases whose responsible org is its own; region scope plays no part.
 */
export type CaseViewer =
  { kind: 'region'; scope: Scope; direct: boolean } | { kind: 'department'; org: Address };

/** Builds the viewer of a caller; a department user without an org sees nothing and is refused. */
export async function caseViewer(db: Db, caller: Caller, scope: Scope): Promise<CaseViewer> {
  if (caller.role === 'department') {
    const [u] = await db.select({ org: users.orgAddress }).from(users).where(eq(users.id, caller.userId));
    if (!u?.org) throw forbidden('this department user is not linked to an organisation');
    return { kind: 'department', org: u.org.toLowerCase() as Address };
  }
  return { kind: 'region', scope, direct: can(caller.role, 'supervision:direct') };
}

/** SQL restricting incidents (joined with supervision_cases) to what the viewer may see. */
export function viewerCondition(v: CaseViewer): SQL {
  return v.kind === 'department'
    ? sql`${supervisionCases.responsibleOrg} = ${v.org}`
    : scopeCondition(v.scope, incidents.regionCode);
}

/** In-memory twin for one loaded case. */
export function viewerSees(v: CaseViewer, c: { regionCode: number; responsibleOrg: string | null }): boolean {
  return v.kind === 'department' ? c.responsibleOrg === v.org : inScope(v.scope, c.regionCode);
}
