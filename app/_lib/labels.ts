import { ACCESS_MODES, DATASET_CATEGORIES, labelOf, ORG_KINDS, PURPOSES, SENSITIVITY } from '~/domain/codes';
import { CITIES, PROVINCES, regionContains, regionName } from '~/domain/regions';
import type { Lang } from '~/app/_charts/format';
import { shortHash } from '~/domain/format';
import { incidentRegionLabel } from '~/domain/rules';

// One home for the formatters (domain/format.ts); re-exported for the dashboard views.
export { shanghaiTime } from '~/domain/format';

/** Display names of the codes the dashboard shows, in the reader's language. */
export function kindLabel(code: number, lang: Lang): string {
  if (code === -1) return lang === 'zh' ? '未登记机构' : 'Unregistered';
  return labelOf(ORG_KINDS, code, lang);
}
export const modeLabel = (m: number, lang: Lang) => labelOf(ACCESS_MODES, m, lang);
export const categoryLabel = (c: number, lang: Lang) => labelOf(DATASET_CATEGORIES, c, lang);
export const sensitivityLabel = (s: number, lang: Lang) => labelOf(SENSITIVITY, s, lang);
export const purposeLabel = (p: number, lang: Lang) => labelOf(PURPOSES, p, lang);

/** An incident's region as every page shows it (domain/rules.ts incidentRegionLabel). */
export function incidentRegion(i: { regionCode: number; rule: string }, lang: Lang): string {
  return incidentRegionLabel(i, lang, (code) => regionName(code, lang));
}

export function regionLabel(code: number, lang: Lang): string {
  if (code === 0) return lang === 'zh' ? '未登记' : 'Unregistered';
  return regionName(code, lang);
}

/** Region filter choices a caller can use: inside their scope only (the server enforces it too). */
export function regionOptions(scope: number | null, lang: Lang): { code: number; label: string }[] {
  const all = [...PROVINCES, ...CITIES].filter((r) => scope === null || regionContains(scope, r.code));
  if (scope !== null && !all.some((r) => r.code === scope))
    all.unshift({ code: scope, name: regionName(scope), nameEn: regionName(scope, 'en'), level: 'city' });
  return all.map((r) => ({
    code: r.code,
    label: `${lang === 'zh' ? r.name : r.nameEn}${r.level === 'province' ? '' : ' · ' + regionName(Math.floor(r.code / 10000) * 10000, lang)}`,
  }));
}

/** `0x1234…abcd` */
export function shortAddress(a: string): string {
  return shortHash(a, 4);
}
