import { adoptionMetricValue } from '~/domain/dashboard';
import type { RegionCell } from '~/server/services/adoption';
import { formatCount, formatPercent, type Lang } from '~/app/_charts/format';
import type { METRICS } from '~/app/_lib/query';
import type { MetricKey } from '~/app/_components/Defined';

export type Metric = (typeof METRICS)[number];

/** The value a region is coloured and ranked by, for each metric of ?metric=. */
export const metricValue: (c: RegionCell, m: Metric) => number | null = adoptionMetricValue;

/** Each metric's entry in the definitions catalogue (glossary `metricDefs`). */
export const METRIC_TERM = {
  online_share: 'onlineShare',
  fully_online_items: 'fullyOnlineItems',
  joint_cases: 'jointCases',
  sharing_volume: 'sharingVolume',
  active_orgs: 'activeOrgs',
} as const satisfies Record<Metric, MetricKey>;

export function isShare(m: Metric): boolean {
  return m === 'online_share' || m === 'fully_online_items';
}

export function formatMetric(v: number, m: Metric, lang: Lang): string {
  return isShare(m) ? formatPercent(v) : formatCount(v, lang);
}
