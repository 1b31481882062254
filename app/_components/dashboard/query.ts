import type { AdoptionMetric } from '../../../server/services/adoption';
import type { FlowGroup } from '../../../server/services/flows-filter';
import type { PeriodName } from '../../../server/services/period';

/**
 * Client-safe constants and the query-string builder. Client components import this, never
 * params.ts (which pulls server modules); the `satisfies` keeps the lists equal to the server's.
 */
export const PERIODS = ['7d', '30d', '90d', 'month', 'quarter'] as const satisfies readonly PeriodName[];
export const GROUPS = ['org', 'kind', 'region'] as const satisfies readonly FlowGroup[];
export const METRICS = [
  'online_share',
  'fully_online_items',
  'joint_cases',
  'sharing_volume',
  'active_orgs',
] as const satisfies readonly AdoptionMetric[];

/** A query string from params (undefined and empty dropped), for links and filter changes. */
export function toQuery(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
