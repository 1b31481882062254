import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIndexerContext } from '../../workers/indexer/context';
import { syncToHead } from '../../workers/indexer/backfill';
import { EVENT_TOPICS } from '../../workers/events/topics';
import { freePort, rpc } from '../helpers/anvil';
import { startChaosRpc, type ChaosRpc } from '../helpers/chaos-rpc';
import { startLawfulTraffic, type LawfulTraffic } from '../helpers/chaos-traffic';
import { startWorkerFleet, type WorkerFleet } from '../helpers/chaos-workers';
import { createTestDb } from '../helpers/db';
import { dumpTables } from '../helpers/db-dump';
import { createIndexerHarness, INDEXED_TABLES, type IndexerHarness } from '../helpers/indexer';
import { startOwnRedis } from '../helpers/processes';
import { waitFor } from '../helpers/wait';

/** Seconds of faults while traffic flows; with setup and checks the file stays under ~2 minutes. */
const CHAOS_SECONDS = 45;
const WORKERS = 2;

let h: IndexerHarness;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let chaosRpc: ChaosRpc;
let fleet: WorkerFleet | undefined;
let traffic: LawfulTraffic | undefined;
let admin: pg.Client;
let metricsPort: number;

const faults = {
  sigkill: 0,
  redisRestart: 0,
  pgTerminate: 0,
  pgBackendsTerminated: 0,
  reorg: 0,
  reorgOfIndexedTip: 0,
};

beforeAll(async () => {
  h = await createIndexerHarness();
  redis = await startOwnRedis();
  chaosRpc = await startChaosRpc(h.anvil.url, { enabled: false, failEvery: 9, stallEvery: 23 });
  admin = new pg.Client({
    connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  metricsPort = await freePort();
});

afterAll(async () => {
  await traffic?.stop();
  await fleet?.kill();
  await chaosRpc?.close();
  await redis?.kill();
  await admin?.end();
  await h?.close();
});

const dbName = () => new URL(h.db.url).pathname.slice(1);

async function cursor(): Promise<number> {
  const { rows } = await h.db.pool.query<{ b: string }>('SELECT indexed_block AS b FROM cursors');
  return rows[0] ? Number(rows[0].b) : -1;
}

async function healthIndexed(): Promise<number> {
  const { rows } = await h.db.pool.query<{ b: string }>('SELECT indexed_block AS b FROM indexer_health');
  return rows[0] ? Number(rows[0].b) : -1;
}

/** Every log of the five contracts on the final chain, as (block, logIndex, txHash). */
async function chainLogs(): Promise<string[]> {
  const addresses = Object.values(h.scenario.deployment.contracts).map((c) => c.address);
  const logs = await rpc<{ blockNumber: string; logIndex: string; transactionHash: string }[]>(
    h.anvil.url,
    'eth_getLogs',
    [{ fromBlock: '0x0', toBlock: 'latest', address: addresses, topics: [Object.values(EVENT_TOPICS)] }],
  );
  return logs
    .map((l) => `${Number(l.blockNumber)}:${Number(l.logIndex)}:${l.transactionHash.toLowerCase()}`)
    .sort();
}

async function storedLogs(): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ k: string }>(
    `SELECT block_number || ':' || log_index || ':' || tx_hash AS k FROM events`,
  );
  return rows.map((r) => r.k).sort();
}

const TABLES = INDEXED_TABLES.filter((t) => t !== 'incident_evidence' && t !== 'blocks');

describe('chaos', () => {
  it('under kills, an emptied Redis, dropped DB connections, a faulty RPC and reorgs: exact, no incident, caught up, clean stop', async () => {
    const env = {
      ...h.env(),
      REDIS_URL: redis.url,
      CHAIN_RPC_URL: chaosRpc.url,
      LOG_LEVEL: 'silent',
    } as unknown as Record<string, string>;
    traffic = await startLawfulTraffic(h.scenario, { everyMs: 150, perBatch: 30, maxTxs: 2_000 });
    fleet = startWorkerFleet(env, WORKERS, (slot): Record<string, string> =>
      slot === 0 ? { METRICS_PORT: String(metricsPort) } : {},
    );
    await waitFor('workers index live traffic', async () => (await cursor()) > 0, 60_000);

    chaosRpc.faults.enabled = true;
    const started = Date.now();
    for (let t = 1; t <= CHAOS_SECONDS; t++) {
      await new Promise((r) => setTimeout(r, Math.max(0, started + t * 1000 - Date.now())));
      if (t % 4 === 0) {
        await fleet.killOne(500);
        faults.sigkill += 1;
      }
      if (t === 12 || t === 32) {
        await redis.kill();
        await new Promise((r) => setTimeout(r, 1_500));
        redis = await startOwnRedis(redis.port);
        faults.redisRestart += 1;
      }
      if (t % 6 === 3) {
        const r = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'lianjian-indexer' AND pid <> pg_backend_pid()`,
          [dbName()],
        );
        faults.pgTerminate += 1;
        faults.pgBackendsTerminated += r.rowCount ?? 0;
      }
      if (t % 7 === 5) {
        const depth = 1 + (t % 3);
        await traffic.exclusive(async () => {
          // Traffic is paused: let the workers index the tip first (bounded), so the reorg
          // replaces blocks they stored and must be rolled back, not merely blocks not yet read.
          const tip = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
          const until = Date.now() + 4_000;
          while ((await cursor()) < tip && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
          if ((await cursor()) > tip - depth) faults.reorgOfIndexedTip += 1;
          await rpc(h.anvil.url, 'anvil_reorg', [depth, []]);
        });
        faults.reorg += 1;
      }
      // A worker that died of a fault (not of our SIGKILL) comes back, as systemd would restart it.
      fleet.reviveDead();
    }
    chaosRpc.faults.enabled = false;
    await traffic.stop();
    fleet.reviveDead();

    const catchUpFrom = Date.now();
    const head = Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
    await waitFor(
      'indexer caught up with the final head',
      async () => (await healthIndexed()) >= head,
      60_000,
    );
    const catchUpSeconds = (Date.now() - catchUpFrom) / 1000;
    // One more head pass, so a same-height reorg of the tip after the last commit is seen too.
    await new Promise((r) => setTimeout(r, 1_000));

    const handled = await h.db.pool.query<{ reorgs: number }>('SELECT reorgs FROM indexer_health');
    // The metrics-serving worker may have been restarted moments ago: wait until it listens again.
    const metrics = await waitFor(
      'metrics served',
      () => fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => (r.ok ? r.text() : null)),
      30_000,
    );
    const summary = {
      faults: {
        ...faults,
        rpc503: chaosRpc.counts.failed503,
        rpcStalled: chaosRpc.counts.stalled,
        rpcCalls: chaosRpc.counts.calls,
      },
      reorgRollbacks: handled.rows[0]?.reorgs,
      unexpectedWorkerExits: fleet.unexpectedExits,
      trafficTxs: traffic.sent(),
      trafficErrors: traffic.errors(),
      finalHead: head,
      catchUpSeconds,
      // A few figures of the metrics-serving worker (its counters restart with it).
      metrics: metrics
        .split('\n')
        .filter((l) =>
          /^lianjian_(indexed_block|lag_blocks|reorgs_handled_total|jobs_(failed|retried)_total)/.test(l),
        ),
    };
    process.stdout.write(`chaos summary ${JSON.stringify(summary)}\n`);

    // Refusing to start while the RPC or Postgres fails is fine; dying while running is not.
    expect(fleet.unexpectedExits.filter((e) => !e.reason.startsWith('lianjian work: '))).toEqual([]);
    const stopCodes = await fleet.stop();
    expect(stopCodes).toEqual(Array.from({ length: WORKERS }, () => 0));

    expect(await cursor()).toBe(head);
    const onChain = await chainLogs();
    const stored = await storedLogs();
    expect(stored.length).toBe(onChain.length);
    expect(stored).toEqual(onChain);

    const incidents = await h.db.pool.query<{ rule: string; n: number }>(
      'SELECT rule, count(*)::int AS n FROM incidents GROUP BY rule',
    );
    expect(incidents.rows).toEqual([]);
    const gaps = await h.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT from_block, lag(to_block) OVER (ORDER BY from_block) AS prev
       FROM indexed_ranges) r WHERE prev IS NOT NULL AND from_block <> prev + 1`,
    );
    expect(gaps.rows[0]!.n).toBe(0);

    // Projections and rollups equal what a fresh indexer makes of the final chain.
    const fresh = await createTestDb();
    const fctx = await createIndexerContext(h.env({ DATABASE_URL: fresh.url }));
    try {
      await syncToHead(fctx);
      expect(await dumpTables(h.db.pool, TABLES)).toEqual(await dumpTables(fresh.pool, TABLES));
    } finally {
      await fctx.dbh.close();
      await fresh.drop();
    }

    // The serving worker may have been restarted moments ago: its counters and histograms can be
    // empty, but every metric is declared and the scrape-time gauges carry the persisted figures.
    for (const name of [
      'lianjian_events_indexed_total counter',
      'lianjian_range_job_duration_seconds histogram',
      'lianjian_jobs_failed_total counter',
      'lianjian_jobs_retried_total counter',
      'lianjian_reorgs_handled_total counter',
      'lianjian_incidents_created_total counter',
      'lianjian_queue_jobs gauge',
    ]) {
      expect(metrics).toContain(`# TYPE ${name}`);
    }
    expect(metrics).toContain(`lianjian_indexed_block{chain_id="${h.scenario.deployment.chainId}"} ${head}`);
    expect(metrics).toContain(`lianjian_lag_blocks{chain_id="${h.scenario.deployment.chainId}"} 0`);
    expect(metrics).toMatch(/lianjian_queue_jobs\{queue="ranges",state="waiting"\} \d+/);
    expect(faults.sigkill).toBeGreaterThan(5);
    expect(faults.reorg).toBeGreaterThan(3);
    expect(faults.reorgOfIndexedTip).toBeGreaterThan(0);
    expect(handled.rows[0]!.reorgs).toBeGreaterThan(0);
    // Counts depend on how much the workers called (a loaded machine calls less): at least one each.
    expect(chaosRpc.counts.failed503).toBeGreaterThan(0);
    expect(chaosRpc.counts.stalled).toBeGreaterThan(0);
  }, 180_000);
});
