/** Anomaly rule ids of DESIGN §5, their severities and labels. */
export const RULES = {
  ACCESS_WITHOUT_GRANT: { severity: 'high', zh: '无授权访问', en: 'Access without grant' },
  ACCESS_AFTER_REVOKE: { severity: 'high', zh: '撤销后访问', en: 'Access after revocation' },
  ACCESS_AFTER_EXPIRY: { severity: 'medium', zh: '过期后访问', en: 'Access after expiry' },
  MODE_NOT_GRANTED: { severity: 'medium', zh: '越权访问方式', en: 'Access mode not granted' },
  PURPOSE_MISMATCH: { severity: 'medium', zh: '用途不符', en: 'Purpose mismatch' },
  VOLUME_SPIKE: { severity: 'medium', zh: '访问量突增', en: 'Volume spike' },
  OFF_HOURS_BULK: { severity: 'low', zh: '非工作时间批量访问', en: 'Off-hours bulk access' },
  CROSS_PROVINCE_SENSITIVE: {
    severity: 'medium',
    zh: '跨省敏感数据访问',
    en: 'Cross-province sensitive access',
  },
  UNREGISTERED_ACTOR: { severity: 'high', zh: '未注册主体', en: 'Unregistered actor' },
  DUPLICATE_REIMBURSEMENT: { severity: 'high', zh: '一票多报', en: 'Duplicate reimbursement' },
  VOIDED_INVOICE_REIMBURSED: { severity: 'high', zh: '作废发票报销', en: 'Voided invoice reimbursed' },
  UNKNOWN_INVOICE_REIMBURSED: { severity: 'high', zh: '未开具发票报销', en: 'Unknown invoice reimbursed' },
  REIMBURSEMENT_EXCEEDS_AMOUNT: { severity: 'medium', zh: '报销超额', en: 'Reimbursement exceeds amount' },
  REVOKED_CERTIFICATE_USED: { severity: 'medium', zh: '吊销证照使用', en: 'Revoked certificate used' },
  CHAIN_STALLED: { severity: 'high', zh: '链停止出块', en: 'Chain stalled' },
  /** Operational: a watched contract's log that does not decode as its declared event (docs/rules.md). */
  MALFORMED_LOG: { severity: 'medium', zh: '链上日志格式异常', en: 'Malformed log' },
} as const;

export type RuleId = keyof typeof RULES;
export type Severity = 'high' | 'medium' | 'low';
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'escalated', 'resolved', 'dismissed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Rule thresholds (settings) with DESIGN §5's defaults. */
export const DEFAULT_RULE_SETTINGS = {
  volumeSpikeMinRecords: 1000,
  volumeSpikeMedianFactor: 10,
  volumeSpikeHistoryDays: 14,
  offHoursBulkMinRecords: 1000,
  offHoursStartHour: 22,
  offHoursEndHour: 6,
  crossProvinceMinSensitivity: 3,
  chainStalledIntervalFactor: 10,
} as const;
export type RuleSettings = { [K in keyof typeof DEFAULT_RULE_SETTINGS]: number };

/**
 * Rules about the chain as a whole (no actor, no region): their incidents belong to every region.
 * A malformed log is one: what failed to decode names no organisation, and a node or member that
 * emits one concerns every region reading the chain.
 */
export const CHAIN_WIDE_RULES: ReadonlySet<string> = new Set<RuleId>(['CHAIN_STALLED', 'MALFORMED_LOG']);

/** What an incident without a region (region code 0) is filed under, in each language. */
export const NO_REGION_LABELS = {
  chainWide: { zh: '全链', en: 'Chain-wide' },
  unregistered: { zh: '未登记地区', en: 'Region not registered' },
} as const;

/**
 * The region column of an incident, the one rule every page and export uses: the region's name;
 * 全链 / Chain-wide for a chain-wide rule; 未登记地区 / Region not registered when the actor has no
 * registered region. `name` gives a region's display name (with its code where the page shows it).
 */
export function incidentRegionLabel(
  i: { regionCode: number; rule: string },
  lang: 'zh' | 'en',
  name: (code: number) => string,
): string {
  if (CHAIN_WIDE_RULES.has(i.rule)) return NO_REGION_LABELS.chainWide[lang];
  if (i.regionCode === 0) return NO_REGION_LABELS.unregistered[lang];
  return name(i.regionCode);
}
