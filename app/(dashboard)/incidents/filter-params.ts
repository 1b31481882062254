import type { IncidentFilter } from '../../../server/services/incidents-filter';

/** The URL keys of the list's filters (a copied link shows the same view, DESIGN §8). */
export const FILTER_KEYS = [
  'from',
  'to',
  'rule',
  'severity',
  'status',
  'region',
  'org',
  // 督办 (supervision) filters
  'assignee',
  'dept',
  'deadline',
  'escalation',
] as const;
/** Those the export accepts (DESIGN §6): all but `org`. */
export const EXPORT_KEYS = ['from', 'to', 'rule', 'severity', 'status', 'region'] as const;

/**
 * The tRPC filter from the URL. Values are passed as they are (region as a number): the server
 * validates them, and a bad value shows its message instead of silently showing everything.
 */
export function filterFromParams(p: URLSearchParams): IncidentFilter {
  const f: Record<string, string | number> = {};
  for (const k of FILTER_KEYS) {
    const v = p.get(k)?.trim();
    if (!v) continue;
    f[k] = (k === 'region' || k === 'escalation') && /^\d+$/.test(v) ? Number(v) : v;
  }
  return f;
}

/** The export's link; `signed`: one ZIP with the export and its SM2-signed manifest. */
export function exportHref(p: URLSearchParams, format: 'csv' | 'xlsx' | 'json', signed = false): string {
  const q = new URLSearchParams({ format });
  if (signed) q.set('bundle', 'zip');
  for (const k of EXPORT_KEYS) {
    const v = p.get(k)?.trim();
    if (v) q.set(k, v);
  }
  return `/api/incidents/export?${q.toString()}`;
}
