import { and, eq, or, sql, type Column, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { ACCESS_MODE_BITS } from '../../domain/codes';
import { regionCodeInput } from '../routers/inputs';
import { regionKey, scopedRegionFilter, type Scope } from '../scope';
import { periodFields, type ResolvedPeriod } from './period';

/**
 * The filters of the flows page, shared by its procedures: period, an optional region (it only
 * narrows the caller's scope), category, sensitivity and access mode.
 */
export const flowFilterFields = {
  ...periodFields,
  chainId: z.number().int().positive().optional(),
  region: regionCodeInput.optional(),
  category: z.number().int().min(0).max(65535).optional(),
  sensitivity: z.number().int().min(1).max(4).optional(),
  mode: z
    .number()
    .int()
    .refine((m) => (ACCESS_MODE_BITS as readonly number[]).includes(m), 'mode is one of 1, 2, 4, 8')
    .optional(),
};
export const flowFilterInput = z.strictObject(flowFilterFields);
/** The filters, plus the server clock the router adds (not an input). */
export type FlowFilter = z.infer<typeof flowFilterInput> & { now?: Date };

export { FLOW_GROUPS, type FlowGroup } from '~/domain/dashboard';

/** The columns a flow condition needs; flow_daily and accesses both have them. */
export interface FlowColumns {
  ownerRegion: Column;
  accessorRegion: Column;
  category: Column;
  sensitivity: Column;
  mode: Column;
}

/**
 * A flow is the caller's business when the provider's OR the consumer's region is in scope: a
 * Guangzhou regulator sees Guangzhou data leaving and arriving, and nothing between two others.
 */
export function flowScope(
  scope: Scope,
  c: { ownerRegion: Column | SQL; accessorRegion: Column | SQL },
  region?: number,
): SQL {
  return or(
    scopedRegionFilter(scope, c.ownerRegion, region),
    scopedRegionFilter(scope, c.accessorRegion, region),
  ) as SQL;
}

/** Scope and the attribute filters (not the period: flow_daily and accesses store time differently). */
export function flowAttributes(scope: Scope, c: FlowColumns, f: FlowFilter): SQL {
  return and(
    flowScope(scope, c, f.region),
    f.category === undefined ? undefined : eq(c.category, f.category),
    f.sensitivity === undefined ? undefined : eq(c.sensitivity, f.sensitivity),
    f.mode === undefined ? undefined : eq(c.mode, f.mode),
  ) as SQL;
}

/** The instant an Asia/Shanghai day (YYYY-MM-DD) begins, to compare timestamp columns with. */
export function shanghaiDayStart(day: string): SQL {
  return sql`(${day}::date)::timestamp at time zone 'Asia/Shanghai'`;
}

/** The instant an Asia/Shanghai day (YYYY-MM-DD) ends: the next day's start. */
export function shanghaiDayEnd(day: string): SQL {
  return sql`((${day}::date + 1)::timestamp at time zone 'Asia/Shanghai')`;
}

/** [from 00:00, to+1 00:00) in Asia/Shanghai, for timestamp columns (accesses.block_time). */
export function shanghaiDayRange(col: Column, p: Pick<ResolvedPeriod, 'from' | 'to'>): SQL {
  return sql`${col} >= ${shanghaiDayStart(p.from)} and ${col} < ${shanghaiDayEnd(p.to)}`;
}

/**
 * Region grouping level: nation-wide with no region filter groups by province (34 nodes at most);
 * narrower views group by the stored city/district code.
 */
export function regionLevel(scope: Scope, f: FlowFilter): 'province' | 'local' {
  return scope.regionCode === null && f.region === undefined ? 'province' : 'local';
}

/** The key a flow end groups by: its province (regionKey), or the stored code itself. */
export function regionKeySql(col: Column, level: 'province' | 'local'): SQL<number> {
  return level === 'province' ? regionKey(col, 'province') : sql<number>`${col}`;
}
