/**
 * The choices the dashboard offers, one list each: the server validates input against them, the
 * pages draw their selectors from them.
 */

/** Reporting periods: the last n days, or the calendar month or quarter to date. */
export const PERIOD_NAMES = ['7d', '30d', '90d', 'month', 'quarter'] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

/** Provider → consumer grouping of the flows Sankey, the matrix and the drill-down. */
export const FLOW_GROUPS = ['org', 'kind', 'region'] as const;
export type FlowGroup = (typeof FLOW_GROUPS)[number];

/** The metrics a region can be coloured by on the adoption tile map. */
export const ADOPTION_METRICS = [
  'online_share',
  'fully_online_items',
  'joint_cases',
  'sharing_volume',
  'active_orgs',
] as const;
export type AdoptionMetric = (typeof ADOPTION_METRICS)[number];

/** The figures of one region that the adoption metrics read (a cell of the adoption service). */
export interface AdoptionFigures {
  onlineShare: number | null;
  fullyOnlineShare: number | null;
  jointCases: number;
  sharingRecords: number;
  activeOrgs: number;
}

/** The value of one adoption metric in one region: what the map colours and a target measures. */
export function adoptionMetricValue(c: AdoptionFigures, m: AdoptionMetric): number | null {
  switch (m) {
    case 'online_share':
      return c.onlineShare;
    case 'fully_online_items':
      return c.fullyOnlineShare;
    case 'joint_cases':
      return c.jointCases;
    case 'sharing_volume':
      return c.sharingRecords;
    case 'active_orgs':
      return c.activeOrgs;
  }
}
