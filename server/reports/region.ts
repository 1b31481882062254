import { sql, type Column, type SQL } from 'drizzle-orm';
import { isProvinceCode, isValidRegionCode, provinceOf, regionName } from '../../domain/regions';
import { inScope, regionKey, scopeCondition, type Scope } from '../scope';

/**
 * The region a report covers. Code 0 means the whole nation (the CLI writes `--region 0`).
 * Reports cover the nation, a province, or a unit directly below a province: a city (XXXX00) or,
 * in the four municipalities whose children are districts, a district. Its peers are the units
 * it is ranked among: provinces among provinces, cities among the cities of the same province.
 */
export const NATION = 0;
const MUNICIPALITIES = new Set([110000, 120000, 310000, 500000]);

export type ReportLevel = 'nation' | 'province' | 'city';

export interface ReportRegion {
  code: number;
  level: ReportLevel;
  nameZh: string;
  nameEn: string;
  /** The region whose children are this region's peers; null for the nation (no peers). */
  parent: number | null;
}

/** A reason the code cannot have a report, or null when it can. */
export function reportRegionProblem(code: number): string | null {
  if (code === NATION) return null;
  if (!isValidRegionCode(code)) return 'must be 0 (nation) or a 6-digit region code';
  if (isProvinceCode(code)) return null;
  const province = provinceOf(code);
  if (MUNICIPALITIES.has(province)) {
    return code % 100 === 0 ? 'a municipality reports by district, e.g. 110108' : null;
  }
  return code % 100 === 0 ? null : 'reports cover the nation, a province or a city (XXXX00)';
}

export function reportRegion(code: number): ReportRegion {
  const problem = reportRegionProblem(code);
  if (problem) throw new Error(`region ${code}: ${problem}`);
  if (code === NATION) return { code, level: 'nation', nameZh: '全国', nameEn: 'Nation', parent: null };
  const level = isProvinceCode(code) ? 'province' : 'city';
  return {
    code,
    level,
    nameZh: regionName(code, 'zh'),
    nameEn: regionName(code, 'en'),
    parent: level === 'province' ? NATION : provinceOf(code),
  };
}

/** SQL condition: `col` lies inside the region (true for the nation). */
export function regionFilter(code: number, col: Column | SQL): SQL {
  return scopeCondition({ regionCode: code === NATION ? null : code }, col);
}

/**
 * The key a region-code column rolls up to at the level of `code`'s peers, so one grouped query
 * gives the figure of the region and of every peer. The nation has one key, 0.
 */
export function peerKey(level: ReportLevel, col: Column | SQL): SQL<number> {
  if (level === 'nation') return sql<number>`0`;
  return regionKey(col, level);
}

/** A caller may read a report of their region or anything inside it; a nation report needs nation scope. */
export function reportInScope(scope: Scope, code: number): boolean {
  if (code === NATION) return scope.regionCode === null;
  return inScope(scope, code);
}

/** 省份 / 城市 (or 区 in a municipality): how the summary names the peers. */
export function peerNounZh(region: ReportRegion): string {
  if (region.level === 'province') return '个省份';
  if (region.parent !== null && MUNICIPALITIES.has(region.parent)) return '个区';
  return '个城市';
}

/** What a comparison table calls its rows: provinces (nation), or a province's cities or districts. */
export function comparisonUnit(region: ReportRegion): { zh: string; en: string } {
  if (region.level === 'nation') return { zh: '省份', en: 'Province' };
  if (MUNICIPALITIES.has(provinceOf(region.code))) return { zh: '区', en: 'District' };
  return { zh: '城市', en: 'City' };
}
