import type { LeadershipFigures } from './leadership';
import type { ReportPeriod } from './period';
import type { ReportRegion } from './region';
import type { SupervisionReportFigures } from './supervision';

/** Headline figures: each with the previous period's value and the region's rank among its peers. */
export const KPI_IDS = [
  'onlineShare',
  'fullyOnlineItemsShare',
  'casesTotal',
  'jointCases',
  'avgHandlingMinutes',
  'sharedRecords',
  'accesses',
  'newGrants',
  'incidents',
  'medianResolveHours',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export type KpiUnit = 'share' | 'count' | 'minutes' | 'hours';

export interface KpiMeta {
  zh: string;
  en: string;
  unit: KpiUnit;
  /** Which way is better, for the rank (rank 1 = best among the peers). */
  better: 'higher' | 'lower';
}

export const KPI_META: Record<KpiId, KpiMeta> = {
  onlineShare: { zh: '网办率', en: 'Online-service share', unit: 'share', better: 'higher' },
  fullyOnlineItemsShare: {
    zh: '全程网办事项占比',
    en: 'Fully-online items share',
    unit: 'share',
    better: 'higher',
  },
  casesTotal: { zh: '办件量', en: 'Cases completed', unit: 'count', better: 'higher' },
  jointCases: { zh: '联办件数', en: 'Joint cases', unit: 'count', better: 'higher' },
  avgHandlingMinutes: { zh: '平均办理时长', en: 'Average handling time', unit: 'minutes', better: 'lower' },
  sharedRecords: { zh: '共享数据量（条）', en: 'Records shared', unit: 'count', better: 'higher' },
  accesses: { zh: '数据访问次数', en: 'Data accesses', unit: 'count', better: 'higher' },
  newGrants: { zh: '新增授权', en: 'New grants', unit: 'count', better: 'higher' },
  incidents: { zh: '异常事件', en: 'Incidents', unit: 'count', better: 'lower' },
  medianResolveHours: {
    zh: '处置时长中位数',
    en: 'Median time to resolve',
    unit: 'hours',
    better: 'lower',
  },
};

export interface Kpi {
  value: number | null;
  previous: number | null;
  /** 1 = best among `peers` (competition ranking: ties share a rank); null without peers or value. */
  rank: number | null;
  peers: number | null;
}

export interface ChannelMonth {
  month: string;
  window: number;
  web: number;
  mobile: number;
}

export interface FlowRow {
  ownerOrg: string;
  ownerName: string;
  accessorOrg: string;
  accessorName: string;
  accesses: number;
  records: number;
}

export interface ComparisonRow {
  code: number;
  onlineShare: number | null;
  fullyOnlineItemsShare: number | null;
  casesTotal: number;
  sharedRecords: number;
}

/**
 * Everything a report says, computed once and stored (reports.figures). The HTML, the PDF and the
 * JSON download are renderings of this object, so regenerating from the same data gives the same
 * figures and the same document.
 */
export interface ReportFigures {
  schema: 1;
  chainId: number;
  region: ReportRegion;
  period: ReportPeriod;
  /** The period compared with: for a partial period, the same number of days at its start. */
  previous: ReportPeriod;
  /**
   * Set while the period is still running: the figures cover `period.from` … `through` (`days`
   * of `ofDays`), and `previous` is cut to as many days. Null for a complete period.
   */
  partial?: { through: string; days: number; ofDays: number } | null;
  /** First indexed Asia/Shanghai day; after `previous.from` the comparison is with a partial period. */
  dataFrom: string;
  /** Latest indexed Asia/Shanghai day; before `period.to` the period is not complete. */
  dataThrough: string;
  kpis: Record<KpiId, Kpi>;
  adoption: {
    casesTotal: number;
    casesWindow: number;
    casesWeb: number;
    casesMobile: number;
    jointCases: number;
    durationMinutesTotal: number;
    itemsTotal: number;
    itemsFullyOnline: number;
    /** Cases per channel in each of the 12 months up to the period's end. */
    trend: ChannelMonth[];
  };
  sharing: {
    accesses: number;
    records: number;
    byCategory: { category: number; accesses: number; records: number }[];
    byMode: { mode: number; accesses: number; records: number }[];
    topFlows: FlowRow[];
    newGrants: number;
  };
  oversight: {
    incidents: number;
    byRule: { rule: string; count: number }[];
    byStatus: { status: string; count: number }[];
    resolved: number;
    medianResolveHours: number | null;
    meanResolveHours: number | null;
  };
  /**
   * Units inside the report's region side by side: the nation's provinces, a province's cities (or
   * a municipality's districts); null for a city, which has no units of its own to compare.
   */
  comparison: { level: 'province' | 'city'; rows: ComparisonRow[] } | null;
  /** Targets and the data-silo index (absent in reports stored before they existed). */
  leadership?: LeadershipFigures;
  /** 督办: the cases handed over in the period and how they stand (absent in reports stored before it). */
  supervision?: SupervisionReportFigures;
  summaryZh: string;
}
