import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnvilProcess } from '../../chain/anvil';
import { deployContracts } from '../../chain/deploy';
import { writeDeployment } from '../../chain/deployment';
import { simulate, type ScaleName } from '../../chain/simulate';
import type { GroundTruth } from '../../chain/simulate';
import { connectChain } from '../../chain/wallet';
import { RULE_IDS, type RuleId } from '../../domain/rules';
import { loadWorkerEnv } from '../../workers/env';
import { runWindowedDetection } from '../../workers/incidents/detect-windowed';
import { createIndexerContext, type IndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { startTestAnvil } from '../helpers/anvil';
import { createTestDb, type TestDb } from '../helpers/db';

/** QUALITY_SCALE=medium runs the ≈1M-event chain (minutes); CI runs the small one. */
const SCALE = (process.env.QUALITY_SCALE ?? 'small') as ScaleName;

let anvil: AnvilProcess;
let db: TestDb;
let ctx: IndexerContext;
let truth: GroundTruth;
let simulated: Record<string, number>;

beforeAll(async () => {
  anvil = await startTestAnvil();
  db = await createTestDb();
  const dir = mkdtempSync(join(tmpdir(), 'lj-quality-'));
  const deploymentFile = join(dir, 'deployment.json');
  const conn = await connectChain(anvil.url);
  const deployment = await deployContracts(conn);
  writeDeployment(deploymentFile, deployment);
  const groundTruthFile = join(dir, 'ground-truth.json');
  simulated = (await simulate({ conn, deployment, days: 30, seed: 'quality', scale: SCALE, groundTruthFile }))
    .eventsByName;
  truth = JSON.parse(readFileSync(groundTruthFile, 'utf8')) as GroundTruth;
  ctx = await createIndexerContext(
    loadWorkerEnv({ DATABASE_URL: db.url, CHAIN_RPC_URL: anvil.url, DEPLOYMENT_FILE: deploymentFile }),
  );
  await syncToHead(ctx);
  await runWindowedDetection({
    db: ctx.dbh.db,
    chainId: ctx.chainId,
    settings: ctx.settings,
    liveStall: false,
  });
}, 1_800_000);

afterAll(async () => {
  await ctx?.dbh.close();
  await db?.drop();
  await anvil?.stop();
});

describe(`rules against the simulator's ground truth (${SCALE} scale)`, () => {
  it('indexes exactly the events the simulator wrote, by name, each once', async () => {
    const { rows } = await db.pool.query<{ event_name: string; n: number }>(
      'SELECT event_name, count(*)::int AS n FROM chain_events GROUP BY event_name',
    );
    const indexed = Object.fromEntries(rows.map((r) => [r.event_name, r.n]));
    const written = Object.fromEntries(Object.entries(simulated).filter(([, n]) => n > 0));
    expect(indexed).toEqual(written);
    const rollup = await db.pool.query<{ n: string }>('SELECT sum(count)::text AS n FROM events_daily');
    expect(Number(rollup.rows[0]!.n)).toBe(Object.values(written).reduce((a, b) => a + b, 0));
  });

  it('recall and precision are 1.0 for every rule', async () => {
    const { rows } = await db.pool.query<{ rule: RuleId; finding_key: string }>(
      'SELECT rule, finding_key FROM incidents',
    );
    const found = new Set(rows.map((r) => `${r.rule}|${r.finding_key}`));
    const expected = new Set(truth.cases.map((c) => `${c.rule}|${c.key}`));
    // MALFORMED_LOG needs logs the five contracts cannot emit (test/integration/poison-data.test.ts).
    const table = RULE_IDS.filter((r) => r !== 'MALFORMED_LOG').map((rule) => {
      const exp = [...expected].filter((k) => k.startsWith(`${rule}|`));
      const got = [...found].filter((k) => k.startsWith(`${rule}|`));
      const hit = got.filter((k) => expected.has(k)).length;
      return {
        rule,
        expected: exp.length,
        found: got.length,
        recall: exp.length === 0 ? 1 : hit / exp.length,
        precision: got.length === 0 ? (exp.length === 0 ? 1 : 0) : hit / got.length,
      };
    });
    console.table(table);
    for (const r of table) {
      expect(r.expected, `${r.rule} is injected`).toBeGreaterThan(0);
      expect({ rule: r.rule, recall: r.recall, precision: r.precision }).toEqual({
        rule: r.rule,
        recall: 1,
        precision: 1,
      });
    }
  });
});
