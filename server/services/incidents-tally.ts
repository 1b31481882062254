import { and, eq, gte, lte, type SQL } from 'drizzle-orm';
import { incidentTallies } from '../../db/schema/incidents';
import { scopedRegionFilter, type Scope } from '../scope';
import type { IncidentFilter } from './incidents-filter';

/**
 * The list's filter as conditions on incident_tallies (db/schema/incidents.ts), when the tallies
 * can answer it: region scope, rule, severity, status and whole Asia/Shanghai days. Null when they
 * cannot (an org, an assignee, a 督办 filter, a bound with a time of day): the incidents are then
 * counted themselves. The list's counts and total were a scan of every incident in the filter on
 * every page load: a flood of 400k incidents made that seconds.
 */
export function tallyConditions(f: IncidentFilter, scope: Scope): SQL | null {
  const { from, to, rule, severity, status, region, ...rest } = f;
  if (Object.values(rest).some((v) => v !== undefined)) return null;
  if ((from && from.length !== 10) || (to && to.length !== 10)) return null;
  const t = incidentTallies;
  return (
    and(
      scopedRegionFilter(scope, t.regionCode, region ?? null),
      rule ? eq(t.rule, rule) : undefined,
      severity ? eq(t.severity, severity) : undefined,
      status ? eq(t.status, status) : undefined,
      from ? gte(t.day, from) : undefined,
      to ? lte(t.day, to) : undefined,
    ) ?? null
  );
}
