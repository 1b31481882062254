import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { addr, basicScenario, id } from '../helpers/scenario';

/*
 * A hostile member's flood: one transaction of accesses under a grant never issued, by an accessor
 * never registered. Each is an ACCESS_WITHOUT_GRANT and an UNREGISTERED_ACTOR, so the range holds
 * thousands of findings: the backfill stages them by COPY, their stage rows built while the range
 * is prepared (workers/incidents/write-findings.ts stageAhead), and copies their evidence
 * straight in. What must hold: one incident per rule and access, each resting on exactly its
 * access.
 */

const FLOOD = 1_200;
let h: IndexerHarness;

beforeAll(async () => {
  h = await createIndexerHarness();
  const w = await basicScenario(h.scenario);
  await h.scenario.accessBatch(
    Array.from({ length: FLOOD }, (_, i) => ({
      grantId: id('never-granted'),
      datasetId: w.ds,
      accessor: addr('stranger'),
      mode: 2,
      purpose: 4,
      recordCount: 1 + (i % 9),
      payloadHash: id(`flood-${i}`),
    })),
  );
});
afterAll(async () => {
  await h.close();
});

describe('a flood of findings in one range', () => {
  it('gives one incident per rule and access, each resting on exactly its access', async () => {
    const ctx = await createIndexerContext(h.env());
    try {
      await syncToHead(ctx);
    } finally {
      await ctx.dbh.close();
    }
    const { rows: flood } = await h.db.pool.query<{
      block_number: string;
      log_index: number;
      tx_hash: string;
      block_time: Date;
      record_count: string;
    }>(
      `SELECT block_number, log_index, tx_hash, block_time, record_count FROM accesses
        WHERE grant_id = $1 ORDER BY block_number, log_index`,
      [id('never-granted')],
    );
    expect(flood).toHaveLength(FLOOD);
    for (const rule of ['ACCESS_WITHOUT_GRANT', 'UNREGISTERED_ACTOR']) {
      const { rows } = await h.db.pool.query<{
        finding_key: string;
        summary: string;
        evidence_block: string;
        occurred_at: Date;
        org_address: string;
        records: number | null;
        evidence: { block_number: number; log_index: number; tx_hash: string; block_time: string }[];
      }>(
        `SELECT i.finding_key, i.summary, i.evidence_block, i.occurred_at, i.org_address, (i.facts->>'records')::int AS records,
                (SELECT json_agg(json_build_object('block_number', e.block_number, 'log_index', e.log_index,
                        'tx_hash', e.tx_hash, 'block_time', e.block_time))
                   FROM incident_evidence e WHERE e.incident_id = i.id) AS evidence
           FROM incidents i WHERE i.rule = $1 AND i.org_address = $2`,
        [rule, addr('stranger')],
      );
      const byKey = new Map(rows.map((r) => [r.finding_key, r]));
      expect(rows).toHaveLength(FLOOD);
      for (const a of flood) {
        const incident = byKey.get(`${a.block_number}-${a.log_index}`);
        expect(incident, `${rule} of access ${a.block_number}-${a.log_index}`).toBeDefined();
        expect(incident!.evidence_block).toBe(a.block_number);
        expect(incident!.occurred_at).toEqual(a.block_time);
        expect(incident!.evidence).toEqual([
          {
            block_number: Number(a.block_number),
            log_index: a.log_index,
            tx_hash: a.tx_hash,
            block_time: a.block_time.toISOString().replace('.000Z', '+00:00'),
          },
        ]);
        const stranger = `${addr('stranger').slice(0, 4)}…${addr('stranger').slice(-2)}`;
        if (rule === 'ACCESS_WITHOUT_GRANT') {
          expect(incident!.records).toBe(Number(a.record_count));
          expect(incident!.summary).toContain(`${stranger} 无授权访问`);
          expect(incident!.summary).toContain(` ${a.record_count} 条记录`);
        } else {
          expect(incident!.summary).toBe(`数据访问：访问方 ${stranger}（未注册）`);
        }
      }
    }
  });
});
