import { adoptionMetricValue } from '~/domain/dashboard';
import type { RegionCell } from '~/server/services/adoption';
import { formatCount, formatPercent, type Lang } from '~/app/_charts/format';
import type { METRICS } from '~/app/_lib/query';

export type Metric = (typeof METRICS)[number];

/** The value a region is coloured and ranked by, for each metric of ?metric=. */
export const metricValue: (c: RegionCell, m: Metric) => number | null = adoptionMetricValue;

export function isShare(m: Metric): boolean {
  return m === 'online_share' || m === 'fully_online_items';
}

export function formatMetric(v: number, m: Metric, lang: Lang): string {
  return isShare(m) ? formatPercent(v) : formatCount(v, lang);
}
