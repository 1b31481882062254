import type pg from 'pg';
import { eventKey } from '../../domain/finding-keys';
import { summaryText, type SummaryFacts } from '../../domain/incident-summary';
import { RULES } from '../../domain/rules';
import type { Tx } from '~/db/client';
import type { MalformedLog } from '../events/decode';
import { writeFindings } from '../incidents/write-findings';

/**
 * Keeps each malformed log byte for byte (malformed_logs) and raises one MALFORMED_LOG incident
 * per log, inside the range's transaction: the range commits and the cursor moves on. A reorg
 * removes both with the block (rollbackTo). Returns the incidents created.
 */
export async function writeMalformed(
  client: pg.PoolClient,
  tx: Tx,
  chainId: number,
  logs: readonly MalformedLog[],
): Promise<number> {
  if (logs.length === 0) return 0;
  await client.query(
    `INSERT INTO malformed_logs (chain_id, block_number, log_index, tx_hash, address, topics, data, reason)
     SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::varchar[], $5::varchar[], $6::jsonb[], $7::text[],
                              $8::varchar[])
     ON CONFLICT DO NOTHING`,
    [
      chainId,
      logs.map((l) => l.blockNumber),
      logs.map((l) => l.logIndex),
      logs.map((l) => l.txHash),
      logs.map((l) => l.address),
      logs.map((l) => JSON.stringify(l.topics)),
      logs.map((l) => l.data),
      logs.map((l) => l.reason.slice(0, 300)),
    ],
  );
  return writeFindings(
    tx,
    chainId,
    logs.map((l) => {
      const facts: SummaryFacts = {
        rule: 'MALFORMED_LOG',
        contract: l.address,
        block: l.blockNumber,
        logIndex: l.logIndex,
        // The decoder's message can be long (it quotes the data): the summary is one line.
        reason: l.reason.slice(0, 300),
      };
      return {
        rule: 'MALFORMED_LOG' as const,
        key: eventKey(l.blockNumber, l.logIndex),
        severity: RULES.MALFORMED_LOG.severity,
        // No acting org can be read from a log that does not decode.
        regionCode: 0,
        orgAddress: null,
        summary: summaryText(facts, 'zh'),
        facts,
        occurredAt: l.blockTime,
        evidence: [{ blockNumber: l.blockNumber, logIndex: l.logIndex, txHash: l.txHash }],
      };
    }),
  );
}
