import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { incidents } from '../../db/schema/incidents';
import {
  exportFiltersSchema,
  incidentExportConditions,
  type ExportFilters,
} from '../exports/incidents-query';
import type { Scope } from '../scope';
import { supervisionCondition, supervisionFilterShape } from './supervision-sql';

/** A lower-case 0x address (what the indexer stores); input in any case is accepted. */
export const addressInput = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address of 40 hex digits')
  .transform((s) => s.toLowerCase() as `0x${string}`);

/**
 * The /incidents list filters: exactly the export's (DESIGN §6, one schema so list and export can
 * never disagree on what `to=2026-09-01` means) plus `org`, the acting org's address. Strict:
 * an unknown key is a 400.
 */
export const incidentFilterInput = z
  .strictObject({
    ...exportFiltersSchema.shape,
    org: addressInput.optional(),
    // 督办 filters (docs/supervision.md): assignee, responsible department, deadline state, escalation level.
    ...supervisionFilterShape,
  })
  .refine((f) => !f.from || !f.to || f.from.slice(0, 10) <= f.to.slice(0, 10), {
    message: '"from" must not be after "to"',
    path: ['from'],
  });

export type IncidentFilter = z.infer<typeof incidentFilterInput>;

/** The export part of a list filter (the export link carries these). */
export function exportPart(f: IncidentFilter): ExportFilters {
  const {
    org: _org,
    assignee: _assignee,
    dept: _dept,
    deadline: _deadline,
    escalation: _escalation,
    ...rest
  } = f;
  return rest;
}

/**
 * WHERE of the list, its counts and bulk actions: the export's conditions (scope in SQL, region
 * filter only narrowing it) and the org. One function, so "bulk on the filtered list" touches
 * exactly the rows the list shows.
 */
export function incidentConditions(f: IncidentFilter, scope: Scope, now: Date = new Date()): SQL {
  const base = incidentExportConditions(exportPart(f), scope);
  return (
    and(
      base,
      f.org ? eq(incidents.orgAddress, f.org) : undefined,
      f.assignee ? eq(incidents.assignee, f.assignee) : undefined,
      supervisionCondition(f, sql`${incidents.id}`, now) ?? undefined,
    ) ?? base
  );
}
