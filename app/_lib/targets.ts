import { isProvinceCode, provinceOf } from '~/domain/regions';
import { TARGET_METRIC_META, type TargetMetric } from '~/domain/targets';
import type { TargetProgress } from '~/server/targets/progress';
import { formatExact, formatPercent, type Lang } from '~/app/_charts/format';
import { toQuery } from '~/app/_lib/query';

// A target's figure and its source link, shown by /adoption's targets panel and the /screen wall.

export function formatTargetValue(v: number | null, m: TargetMetric, lang: Lang): string {
  if (v === null) return '—';
  return TARGET_METRIC_META[m].unit === 'share' ? formatPercent(v) : formatExact(Math.round(v), lang);
}

/**
 * Where the figure of a target comes from: the rows behind it with the window in the URL. Records
 * shared are accesses (/flows), active departments are members (/orgs), the case figures are the
 * adoption page over the same window.
 */
export function targetHref(r: Pick<TargetProgress, 'metric' | 'regionCode' | 'from' | 'to'>): string {
  if (r.metric === 'sharing_volume')
    return `/flows${toQuery({ region: r.regionCode, from: r.from, to: r.to })}`;
  if (r.metric === 'active_orgs') return `/orgs${toQuery({ region: r.regionCode })}`;
  const province = isProvinceCode(r.regionCode) ? undefined : provinceOf(r.regionCode);
  return `/adoption${toQuery({ metric: r.metric, province, from: r.from, to: r.to })}`;
}
