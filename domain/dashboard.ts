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
