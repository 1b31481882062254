/**
 * The export columns of DESIGN §6, in their fixed order; the 督办 columns are appended at the end
 * (DESIGN §6 lets the columns grow only there), so a reader of the older files keeps its positions.
 */
export const EXPORT_COLUMNS = [
  'id',
  'rule',
  'severity',
  'status',
  'region_code',
  'region_name',
  'org_address',
  'org_name',
  'detected_at',
  'occurred_at',
  'block_number',
  'tx_hash',
  'log_index',
  'summary',
  // 督办 (docs/supervision.md): empty for an incident that was never handed over.
  'assignee',
  'deadline',
  'responsible_org_address',
  'responsible_org_name',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** One export row: one evidence event of one incident (an incident with no evidence gets one row of nulls). */
export interface ExportRow {
  id: number;
  rule: string;
  severity: string;
  status: string;
  region_code: number;
  region_name: string;
  org_address: string | null;
  org_name: string | null;
  /** ISO 8601 in Asia/Shanghai, e.g. 2026-09-01T10:00:00+08:00 */
  detected_at: string;
  /**
   * The block time of this row's evidence event, ISO 8601 in Asia/Shanghai (+08:00); for an
   * incident without evidence (CHAIN_STALLED) the incident's own time.
   */
  occurred_at: string;
  block_number: number | null;
  tx_hash: string | null;
  log_index: number | null;
  summary: string;
  /** The triage assignee (a user's e-mail), null when unassigned. */
  assignee: string | null;
  /** When the supervised case falls due: 24:00 Shanghai of its last working day, written as the next day 00:00 +08:00. */
  deadline: string | null;
  /** 责任单位: the org that must answer the supervised case, and its registered name. */
  responsible_org_address: string | null;
  responsible_org_name: string | null;
}

/** What the manifest needs of a row beyond the exported columns. */
export interface RowProof {
  chainId: number;
  blockHash: string | null;
  /** the evidence event as indexed (contract, name, decoded fields); null when none is stored */
  eventAddress: string | null;
  eventName: string | null;
  eventArgs: Record<string, string | number> | null;
}

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

export function rowValues(r: ExportRow): (string | number | null)[] {
  return EXPORT_COLUMNS.map((c) => r[c]);
}
