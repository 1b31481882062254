import { eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { users } from '../../db/schema/auth';
import { supervisionCases } from '../../db/schema/supervision';
import { invalid } from '../errors';
import { can, isRole } from '../permissions';
import { inScope } from '../scope';

/** What decides who may see one incident: its region and, once handed over, its 责任单位. */
export interface IncidentSight {
  id: number;
  regionCode: number;
  responsibleOrg: string | null;
}

export interface UserSight {
  role: string;
  regionCode: number | null;
  orgAddress: string | null;
  disabled: boolean;
}

/**
 * May this user see the incident? The same rule the pages apply: a role that reads incidents,
 * scoped to a region containing the incident's (nation-wide sees all); or a `department` user
 * of the case's responsible org (it sees its own supervised cases and nothing else). Disabled
 * users see nothing. Leadership reads figures, not cases, so it is never offered.
 */
export function userSees(u: UserSight, i: IncidentSight): boolean {
  if (u.disabled || !isRole(u.role)) return false;
  if (u.role === 'department')
    return i.responsibleOrg !== null && u.orgAddress?.toLowerCase() === i.responsibleOrg;
  return can(u.role, 'incidents:read') && inScope({ regionCode: u.regionCode }, i.regionCode);
}

/** The columns of `users` that userSees reads. */
export const userSightColumns = {
  email: users.email,
  name: users.name,
  role: users.role,
  regionCode: users.regionCode,
  orgAddress: users.orgAddress,
  disabled: users.disabled,
};

/** The responsible org of each incident (null when not handed over), for `userSees`. */
export async function incidentSights(
  db: Tx,
  rows: readonly { id: number; regionCode: number }[],
): Promise<IncidentSight[]> {
  if (rows.length === 0) return [];
  const cases = await db
    .select({ id: supervisionCases.incidentId, org: supervisionCases.responsibleOrg })
    .from(supervisionCases)
    .where(
      inArray(
        supervisionCases.incidentId,
        rows.map((r) => r.id),
      ),
    );
  const orgs = new Map(cases.map((c) => [c.id, c.org.toLowerCase()]));
  return rows.map((r) => ({ id: r.id, regionCode: r.regionCode, responsibleOrg: orgs.get(r.id) ?? null }));
}

/**
 * Refuses an assignee who is not an active user or may not see every one of `targets` (the server
 * side of the picker: a hand-made request cannot hand a case to someone outside it). Returns the
 * e-mail as stored (lower-case).
 */
export async function requireAssignable(
  tx: Tx,
  email: string,
  targets: readonly { id: number; regionCode: number }[],
): Promise<string> {
  const [u] = await tx
    .select(userSightColumns)
    .from(users)
    .where(eq(users.email, sql`lower(${email})`));
  if (!u || u.disabled)
    throw invalid(`${email} is not an active user`, { reason: 'assignee_unknown', field: 'assignee' });
  const blind = (await incidentSights(tx, targets)).filter((i) => !userSees(u, i)).map((i) => i.id);
  if (blind.length > 0) {
    const shown = blind.slice(0, 5).map((id) => `#${id}`);
    const more = blind.length > 5 ? ` and ${blind.length - 5} more` : '';
    throw invalid(`${u.email} may not see incident ${shown.join(', ')}${more}; choose someone who may`, {
      reason: 'assignee_not_permitted',
      field: 'assignee',
      ids: blind,
    });
  }
  return u.email;
}
