import { and, sql, type Column, type SQL } from 'drizzle-orm';
import { isProvinceCode, isValidRegionCode, regionContains } from '../domain/regions';

/** The caller's region scope. `regionCode: null` = nation-wide (sees every region). */
export interface Scope {
  regionCode: number | null;
}

/** Province-level divisions whose children in the data are districts, not cities. */
const MUNICIPALITIES = [11, 12, 31, 50];

/**
 * How far region codes roll up: to the province; (drilled) to the city or municipal district; or
 * not at all ('district': a city-scoped user's own city, by the district codes the data carries).
 */
export type RegionKeyLevel = 'province' | 'city' | 'district';

/** The key a region code rolls up to: its province, or (drilled) its city / municipal district. */
export function regionKey(col: Column | SQL, level: RegionKeyLevel): SQL<number> {
  if (level === 'province') return sql<number>`((${col} / 10000) * 10000)`;
  if (level === 'district') return sql<number>`(${col})`;
  return sql<number>`(case when ${col} / 10000 in (${sql.raw(MUNICIPALITIES.join(','))}) then ${col} else (${col} / 100) * 100 end)`;
}

/**
 * The inclusive code range a scope covers: a province (440000) covers 440000–449999, a city
 * (440100) 440100–440199, a district only itself. Codes are GB/T 2260, so containment is a range.
 */
export function scopeRange(regionCode: number): { lo: number; hi: number } {
  if (isProvinceCode(regionCode)) return { lo: regionCode, hi: regionCode + 9999 };
  if (regionCode % 100 === 0) return { lo: regionCode, hi: regionCode + 99 };
  return { lo: regionCode, hi: regionCode };
}

/**
 * The SQL condition restricting `column` (an integer region-code column) to the scope, applied
 * inside the query so rows of another region never leave the database. Nation-wide scope gives
 * `true`, so callers can always `and()` it in.
 */
export function scopeCondition(scope: Scope, column: Column | SQL): SQL {
  if (scope.regionCode === null) return sql`true`;
  const { lo, hi } = scopeRange(scope.regionCode);
  return lo === hi ? sql`${column} = ${lo}` : sql`${column} between ${lo} and ${hi}`;
}

/** Scope plus a region filter the user asked for: the filter may only narrow the scope. */
export function scopedRegionFilter(scope: Scope, column: Column | SQL, requested?: number | null): SQL {
  const base = scopeCondition(scope, column);
  if (requested === undefined || requested === null) return base;
  return and(base, scopeCondition({ regionCode: requested }, column)) ?? base;
}

/** In-memory twin of scopeCondition, for a single row already loaded (e.g. a detail page). */
export function inScope(scope: Scope, regionCode: number): boolean {
  return scope.regionCode === null || regionContains(scope.regionCode, regionCode);
}

/** A region a user may be scoped to: null or a valid 6-digit code. */
export function isValidScopeCode(code: number | null): boolean {
  return code === null || isValidRegionCode(code);
}

/** A scope of one city (or district): its map would be a single tile at the city level. */
export function belowProvince(scope: Scope): boolean {
  return scope.regionCode !== null && !isProvinceCode(scope.regionCode);
}
