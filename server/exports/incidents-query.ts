import { and, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import * as z from 'zod';
import { incidents } from '../../db/schema';
import { isValidRegionCode } from '../../domain/regions';
import { INCIDENT_STATUSES, RULE_IDS } from '../../domain/rules';
import { scopedRegionFilter, type Scope } from '../scope';

export const EXPORT_FILTER_KEYS = ['from', 'to', 'rule', 'severity', 'status', 'region'] as const;

const isoDay = z.iso.date({ error: 'must be an ISO date (YYYY-MM-DD) or date-time with offset' });
const isoInstant = z.iso.datetime({ offset: true });
const when = z.union([isoDay, isoInstant], {
  error: 'must be an ISO date (YYYY-MM-DD) or a date-time with offset',
});

/**
 * The list's filters (DESIGN §6), as query parameters or CLI flags: strings in, typed out. Unknown
 * keys are rejected by name, so a mistyped filter never silently widens an export.
 */
export const exportFiltersSchema = z
  .strictObject(
    {
      from: when.optional(),
      to: when.optional(),
      rule: z
        .enum(RULE_IDS as [string, ...string[]], { error: `must be one of ${RULE_IDS.join(', ')}` })
        .optional(),
      severity: z.enum(['high', 'medium', 'low'], { error: 'must be high, medium or low' }).optional(),
      status: z
        .enum(INCIDENT_STATUSES, { error: `must be one of ${INCIDENT_STATUSES.join(', ')}` })
        .optional(),
      region: z.coerce
        .number({ error: 'must be a 6-digit region code' })
        .int()
        .refine(isValidRegionCode, { message: 'must be a 6-digit region code (GB/T 2260), e.g. 440000' })
        .optional(),
    },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown filter${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}; allowed: ${EXPORT_FILTER_KEYS.join(', ')}`
          : undefined,
    },
  )
  .refine((f) => !f.from || !f.to || lowerBound(f.from) <= upperBound(f.to).at, {
    message: '"from" must not be after "to"',
    path: ['from'],
  });

export type ExportFilters = z.infer<typeof exportFiltersSchema>;

/** A date is the Asia/Shanghai day: `from` its first instant. */
function lowerBound(v: string): Date {
  return new Date(v.length === 10 ? `${v}T00:00:00+08:00` : v);
}

/** `to` as a date covers that whole Shanghai day (exclusive next midnight); a date-time is inclusive. */
function upperBound(v: string): { at: Date; inclusive: boolean } {
  if (v.length !== 10) return { at: new Date(v), inclusive: true };
  const next = new Date(`${v}T00:00:00+08:00`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { at: next, inclusive: false };
}

/**
 * The WHERE of an incident export: the filters on occurred_at (when the event happened on the
 * chain, DESIGN §6; detection time is only when the indexer saw it), rule,
 * severity, status and region, AND the caller's region scope — inside SQL, so rows outside the
 * scope never leave the database. A region filter can only narrow the scope.
 */
export function incidentExportConditions(filters: ExportFilters, scope: Scope, chainId?: number): SQL {
  const conds: (SQL | undefined)[] = [
    scopedRegionFilter(scope, incidents.regionCode, filters.region ?? null),
  ];
  if (chainId !== undefined) conds.push(eq(incidents.chainId, chainId));
  if (filters.rule) conds.push(eq(incidents.rule, filters.rule));
  if (filters.severity) conds.push(eq(incidents.severity, filters.severity));
  if (filters.status) conds.push(eq(incidents.status, filters.status));
  if (filters.from) conds.push(gte(incidents.occurredAt, lowerBound(filters.from)));
  if (filters.to) {
    const { at, inclusive } = upperBound(filters.to);
    conds.push(inclusive ? lte(incidents.occurredAt, at) : lt(incidents.occurredAt, at));
  }
  return and(...conds) ?? sql`true`;
}

/** Parses filters with a one-line error naming the field, for the CLI and route handlers. */
export function parseExportFilters(input: unknown): ExportFilters {
  const r = exportFiltersSchema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  const where = i && i.path.length > 0 ? `${i.path.join('.')}: ` : '';
  throw new ExportFilterError(`${where}${i?.message ?? 'invalid filters'}`);
}

export class ExportFilterError extends Error {}
