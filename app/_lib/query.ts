/**
 * Client-safe constants and the query-string builder. Client components import this, never
 * params.ts (which pulls server modules). The lists are domain/dashboard.ts's, under the names the
 * views use.
 */
export {
  ADOPTION_METRICS as METRICS,
  FLOW_GROUPS as GROUPS,
  PERIOD_NAMES as PERIODS,
} from '~/domain/dashboard';

/** A query string from params (undefined and empty dropped), for links and filter changes. */
export function toQuery(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
