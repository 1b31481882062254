import type pg from 'pg';
import { regionName } from '../../domain/regions';
import { RULES, type RuleId } from '../../domain/rules';

export interface AlertPayload {
  event: 'incident.created';
  incident: {
    id: number;
    chainId: number;
    rule: string;
    ruleLabel: string;
    severity: string;
    status: string;
    regionCode: number;
    regionName: string;
    orgAddress: string | null;
    summary: string;
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
      severity: i.severity,
      status: i.status,
      regionCode: i.region_code,
      regionName: i.region_code ? regionName(i.region_code) : '',
      orgAddress: i.org_address,
      summary: i.summary,
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
