import { Redis } from 'ioredis';
import pg from 'pg';
import { numberToHex } from 'viem';
import { createRng } from '../../chain/simulate/prng';
import { EVENT_TOPICS } from '../../workers/events/topics';
import { createIndexerQueues } from '../../workers/queues/indexer-queues';
import { rangeJobId } from '../../workers/queues/names';
import { freePort, rpc } from './anvil';
import { startLawfulTraffic, type LawfulTraffic } from './chaos-traffic';
import { startWorkerFleet, type WorkerFleet } from './chaos-workers';
import { drawSchedule, FAULT_KINDS, type FaultKind, type ScheduledFault } from './fault-schedule';
import { startFlakyRpc, type FlakyRpc } from './flaky-rpc';
import { createIndexerHarness, type IndexerHarness } from './indexer';
import { startOwnRedis } from './processes';
import { waitFor } from './wait';

/** The flaky node of issue 13 while faults last: 503 to 5 % of requests, 2 % held 3 s. */
export const FAULTY_NODE = { p503: 0.05, pStall: 0.02, stallMs: 3_000 } as const;
export const WORKERS = 2;
/** The planner's cap on pending ranges for `work --concurrency 2` (indexer-workers.ts: concurrency × 4). */
const MAX_QUEUED = 2 * 4;

export interface FaultRunResult {
  seed: number;
  closing: FaultKind;
  faults: Record<FaultKind, number>;
  /** Seconds from the end of the closing fault until the cursor reached the head of that moment (on its chain). */
  catchUpSeconds: number;
  /** Exit codes of the SIGTERMed workers (null: died of the signal). */
  sigtermExitCodes: (number | null)[];
  reorgsOfIndexedTip: number;
  pgBackendsTerminated: number;
  rpc: { requests: number; failed503: number; stalled: number };
  /** Logs of the final chain compared with the stored events. */
  eventsChecked: number;
  duplicates: number;
  missing: number;
  extra: number;
  incidents: { rule: string; n: number }[];
  gaps: number;
  head: number;
  /** Traffic steps that failed or were given up so far (the traffic's own count, not the indexer's). */
  trafficErrors: number;
}

export interface FaultWorld {
  h: IndexerHarness;
  fleet: WorkerFleet;
  traffic: LawfulTraffic;
  metricsPort: number;
  /** One run: the seed's schedule of faults over `faultMs` under traffic, then catch-up and checks. */
  run(seed: number, faultMs: number, log?: (line: string) => void): Promise<FaultRunResult>;
  cursor(): Promise<number>;
  chainHead(): Promise<number>;
  /** Stops the traffic and waits (up to a minute) until the workers have indexed the final head; returns it. */
  quiesce(): Promise<number>;
  close(): Promise<void>;
}

interface LogKey {
  blockNumber: string;
  logIndex: string;
  transactionHash: string;
}

/**
 * The world the random fault test and the soak bench share: anvil with the contracts, a database,
 * a Redis of its own (so it can be killed), the flaky node proxy in front of anvil for the workers,
 * two `work` processes (slot 0 serves metrics) and lawful traffic. Kept small on purpose: a large
 * world takes minutes to set up on this machine.
 */
export async function startFaultWorld(o: {
  everyMs: number;
  perBatch: number;
  datasets: number;
  maxTxs: number;
}): Promise<FaultWorld> {
  const h = await createIndexerHarness();
  let redis = await startOwnRedis();
  const flaky: FlakyRpc = await startFlakyRpc(h.anvil.url, createRng('fault-world'), {
    enabled: false,
    ...FAULTY_NODE,
  });
  const admin = new pg.Client({
    connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  });
  await admin.connect();
  const metricsPort = await freePort();
  const env = {
    ...h.env(),
    REDIS_URL: redis.url,
    CHAIN_RPC_URL: flaky.url,
    // Info, not silent: the fleet reads `workers started` to know which worker is up.
    LOG_LEVEL: 'info',
  } as unknown as Record<string, string>;
  const prefix = h.env().QUEUE_PREFIX;
  // Workers first: their start-up (seconds of module loading on a busy machine) overlaps the
  // traffic's set-up transactions.
  const fleet = startWorkerFleet(env, WORKERS, (slot): Record<string, string> =>
    slot === 0 ? { METRICS_PORT: String(metricsPort) } : {},
  );
  const traffic = await startLawfulTraffic(h.scenario, o);
  // systemd's Restart=always: a worker that died on its own (not by our hand) comes back.
  const revive = setInterval(() => fleet.reviveDead(), 1_000);
  const dbName = new URL(h.db.url).pathname.slice(1);

  const cursorRow = async () => {
    const { rows } = await h.db.pool.query<{ b: string; hash: string | null }>(
      'SELECT indexed_block AS b, indexed_hash AS hash FROM cursors',
    );
    return rows[0] ? { block: Number(rows[0].b), hash: rows[0].hash } : { block: -1, hash: null };
  };
  const chainHead = async () => Number(await rpc<string>(h.anvil.url, 'eth_blockNumber'));
  /** The cursor stands at or past `block` and on the chain as it is now (a reorg may have replaced its block). */
  const reached = async (block: number) => {
    const c = await cursorRow();
    if (c.block < block) return false;
    const b = await rpc<{ hash: string } | null>(h.anvil.url, 'eth_getBlockByNumber', [
      numberToHex(c.block),
      false,
    ]);
    return b !== null && b.hash.toLowerCase() === c.hash?.toLowerCase();
  };

  const restartRedis = async (downMs: number, fill: boolean) => {
    await redis.kill();
    if (fill) {
      // Blocks for the ranges below to cover, mined while no worker can plan (Redis is down).
      await traffic.exclusive(() => rpc(h.anvil.url, 'anvil_mine', [numberToHex(MAX_QUEUED + 8)]));
    }
    await new Promise((r) => setTimeout(r, downMs));
    redis = await startOwnRedis(redis.port);
    if (!fill) return;
    // The state of issue 13's stall: more ranges pending than the planner's cap, all past a gap
    // (the continuation was lost with the old Redis), put there before any worker is back.
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queues = createIndexerQueues({ connection, prefix, log: () => {} });
    try {
      const from = (await cursorRow()).block + 3;
      const chainId = h.scenario.deployment.chainId;
      for (let b = from; b < from + MAX_QUEUED + 4; b++)
        await queues.ranges.add(
          'range',
          { chainId, fromBlock: b, toBlock: b },
          { jobId: rangeJobId(chainId, b, b) },
        );
    } finally {
      await Promise.all([queues.ranges.close(), queues.head.close(), queues.detect.close()]);
      await connection.quit();
    }
  };

  /**
   * The worker a process fault hits: the drawn one, unless the other is still starting (or down),
   * then that one (a kill or stop during start-up). Either way one of the two keeps working, as
   * when an operator kills one of two processes; both down at once would measure start-up time.
   */
  const victim = (f: ScheduledFault) => (fleet.ready(1 - f.slot) ? f.slot : 1 - f.slot);
  const apply = async (f: ScheduledFault, r: FaultRunResult) => {
    switch (f.kind) {
      case 'sigkill':
        await fleet.killOne(f.downMs, victim(f));
        break;
      case 'sigterm': {
        const code = await fleet.termOne(victim(f), f.downMs);
        if (code !== 'absent') r.sigtermExitCodes.push(code);
        break;
      }
      case 'redis-empty':
        await restartRedis(f.downMs, false);
        break;
      case 'redis-full':
        await restartRedis(f.downMs, true);
        break;
      case 'pg-terminate': {
        const res = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'lianjian-indexer' AND pid <> pg_backend_pid()`,
          [dbName],
        );
        r.pgBackendsTerminated += res.rowCount ?? 0;
        break;
      }
      case 'reorg':
        await traffic.exclusive(async () => {
          // Traffic is paused: give the workers a moment to index the tip, so the reorg replaces
          // blocks they stored (a rollback), not merely blocks they had not read yet.
          const tip = await chainHead();
          const until = Date.now() + 2_000;
          while ((await cursorRow()).block < tip && Date.now() < until)
            await new Promise((res) => setTimeout(res, 50));
          if ((await cursorRow()).block > tip - f.depth) r.reorgsOfIndexedTip += 1;
          await rpc(h.anvil.url, 'anvil_reorg', [f.depth, []]);
        });
        break;
    }
    r.faults[f.kind] += 1;
  };

  /** Every log of the five contracts on the chain as it is now, as block:logIndex:txHash. */
  const chainLogs = async () => {
    const addresses = Object.values(h.scenario.deployment.contracts).map((c) => c.address);
    const logs = await rpc<LogKey[]>(h.anvil.url, 'eth_getLogs', [
      { fromBlock: '0x0', toBlock: 'latest', address: addresses, topics: [Object.values(EVENT_TOPICS)] },
    ]);
    return logs.map(
      (l) => `${Number(l.blockNumber)}:${Number(l.logIndex)}:${l.transactionHash.toLowerCase()}`,
    );
  };
  const storedLogs = async () => {
    const { rows } = await h.db.pool.query<{ k: string }>(
      `SELECT block_number || ':' || log_index || ':' || lower(tx_hash) AS k FROM chain_events`,
    );
    return rows.map((row) => row.k);
  };

  return {
    h,
    fleet,
    traffic,
    metricsPort,
    cursor: async () => (await cursorRow()).block,
    chainHead,
    async quiesce() {
      await traffic.stop();
      const head = await chainHead();
      await waitFor('caught up with the final head', async () => (await cursorRow()).block >= head, 60_000);
      return head;
    },
    async run(seed, faultMs, log = () => {}) {
      const schedule = drawSchedule(seed, faultMs);
      log(
        `fault run seed=${seed} closing=${schedule.closing} schedule=${JSON.stringify(
          schedule.faults.map((f) => [f.atMs, f.kind, f.slot, f.downMs, f.depth]),
        )} (replay: LIANJIAN_FAULT_SEED=${seed})`,
      );
      const r: FaultRunResult = {
        seed,
        closing: schedule.closing,
        faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
        catchUpSeconds: Number.NaN,
        sigtermExitCodes: [],
        reorgsOfIndexedTip: 0,
        pgBackendsTerminated: 0,
        rpc: { requests: 0, failed503: 0, stalled: 0 },
        eventsChecked: 0,
        duplicates: 0,
        missing: 0,
        extra: 0,
        incidents: [],
        gaps: 0,
        head: 0,
        trafficErrors: 0,
      };
      const before = { ...flaky.counts };
      flaky.reseed(schedule.rpcRng);
      flaky.settings.enabled = true;
      const started = Date.now();
      try {
        for (const f of schedule.faults) {
          await new Promise((res) => setTimeout(res, Math.max(0, started + f.atMs - Date.now())));
          await apply(f, r);
        }
      } finally {
        flaky.settings.enabled = false;
      }
      r.rpc = {
        requests: flaky.counts.requests - before.requests,
        failed503: flaky.counts.failed503 - before.failed503,
        stalled: flaky.counts.stalled - before.stalled,
      };

      // Catch-up: from the end of the closing fault until the cursor stands on the head of that
      // moment (traffic goes on meanwhile, as it would in production).
      const faultsEnded = performance.now();
      const target = await chainHead();
      await waitFor('indexer caught up after the last fault', () => reached(target), 120_000);
      r.catchUpSeconds = Math.round(performance.now() - faultsEnded) / 1000;

      // Exactness on a still chain: traffic paused, the cursor on the head, every log once.
      await traffic.exclusive(async () => {
        const head = await chainHead();
        await waitFor('indexer on the still head', () => reached(head), 60_000);
        r.head = head;
        const onChain = await chainLogs();
        const stored = await storedLogs();
        const storedSet = new Set(stored);
        const chainSet = new Set(onChain);
        r.eventsChecked = onChain.length;
        r.duplicates = stored.length - storedSet.size;
        r.missing = onChain.filter((k) => !storedSet.has(k)).length;
        r.extra = [...storedSet].filter((k) => !chainSet.has(k)).length;
      });
      const incidents = await h.db.pool.query<{ rule: string; n: number }>(
        'SELECT rule, count(*)::int AS n FROM incidents GROUP BY rule ORDER BY rule',
      );
      r.incidents = incidents.rows;
      const gaps = await h.db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT from_block, lag(to_block) OVER (ORDER BY from_block) AS prev
         FROM indexed_ranges) x WHERE prev IS NOT NULL AND from_block <> prev + 1`,
      );
      r.gaps = gaps.rows[0]!.n;
      r.trafficErrors = traffic.errors();
      log(`fault run seed=${seed} result ${JSON.stringify(r)}`);
      return r;
    },
    async close() {
      clearInterval(revive);
      await traffic.stop();
      await fleet.kill();
      await flaky.close();
      await redis.kill();
      await admin.end();
      await h.close();
    },
  };
}
