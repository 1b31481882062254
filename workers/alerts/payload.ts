import type pg from 'pg';
import type { Label } from '../../domain/codes';
import { incidentSummary } from '../../domain/incident-summary';
import { regionName } from '../../domain/regions';
import { RULES, type RuleId } from '../../domain/rules';

export interface AlertPayload {
  event: 'incident.created';
  incident: {
    id: number;
    chainId: number;
    rule: string;
    /** Chinese, as since the first version; `ruleLabels` has both languages. */
    ruleLabel: string;
    ruleLabels: Label;
    severity: string;
    status: string;
    regionCode: number;
    regionName: string;
    regionNames: Label;
    orgAddress: string | null;
    /** The stored Chinese summary (the export's `summary`), unchanged for existing receivers. */
    summary: string;
    /**
     * The summary in each language, rendered from the incident's facts; an incident detected
     * before facts were kept has its stored Chinese text in both.
     */
    summaries: Label;
    occurredAt: string;
    detectedAt: string;
    evidence: { blockNumber: number; logIndex: number; txHash: string }[];
  };
}

/** The JSON a webhook receives: the incident and the chain coordinates that prove it. */
export async function buildAlertPayload(pool: pg.Pool, incidentId: number): Promise<AlertPayload | null> {
  const inc = await pool.query<{
    id: number;
    chain_id: number;
    rule: string;
    severity: string;
    status: string;
    region_code: number;
    org_address: string | null;
    summary: string;
    facts: unknown;
    occurred_at: Date;
    detected_at: Date;
  }>('SELECT * FROM incidents WHERE id = $1', [incidentId]);
  const i = inc.rows[0];
  if (!i) return null;
  const ev = await pool.query<{ block_number: string; log_index: number; tx_hash: string }>(
    'SELECT block_number, log_index, tx_hash FROM incident_evidence WHERE incident_id = $1 ORDER BY block_number, log_index',
    [incidentId],
  );
  return {
    event: 'incident.created',
    incident: {
      id: i.id,
      chainId: i.chain_id,
      rule: i.rule,
      ruleLabel: RULES[i.rule as RuleId]?.zh ?? i.rule,
      ruleLabels: { zh: RULES[i.rule as RuleId]?.zh ?? i.rule, en: RULES[i.rule as RuleId]?.en ?? i.rule },
      severity: i.severity,
      status: i.status,
      regionCode: i.region_code,
      regionName: i.region_code ? regionName(i.region_code) : '',
      regionNames: {
        zh: i.region_code ? regionName(i.region_code, 'zh') : '',
        en: i.region_code ? regionName(i.region_code, 'en') : '',
      },
      orgAddress: i.org_address,
      summary: i.summary,
      summaries: { zh: incidentSummary(i, 'zh'), en: incidentSummary(i, 'en') },
      occurredAt: i.occurred_at.toISOString(),
      detectedAt: i.detected_at.toISOString(),
      evidence: ev.rows.map((r) => ({
        blockNumber: Number(r.block_number),
        logIndex: r.log_index,
        txHash: r.tx_hash,
      })),
    },
  };
}
