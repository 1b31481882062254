import type { Queue } from 'bullmq';
import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { indexerStall, STALL_THRESHOLDS } from '../../domain/indexer-stall';

/** What the scrape-time gauges read: the persisted health row and the queues of one worker set. */
export interface ScrapeSource {
  chainId: number;
  pool: pg.Pool;
  queues: Record<string, Queue>;
}

/** A scrape must answer even when Redis or Postgres does not: a missing figure beats a hung scrape. */
const SCRAPE_TIMEOUT_MS = 1_000;

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

function within<T>(p: Promise<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), SCRAPE_TIMEOUT_MS);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

interface HealthRow {
  head_block: string;
  indexed_block: string;
  lag_blocks: string;
  lag_seconds: number;
  head_time: Date | null;
  events_per_second: number;
  block_interval_seconds: number | null;
  rpc_last_ok_at: Date | null;
  updated_at: Date;
  waiting_for_block: string | null;
  waiting_reason: string | null;
  cursor_moved_at: Date | null;
}

/**
 * Gauges collected when Prometheus scrapes: chain head, indexed block and lag from the persisted
 * health figures (the same row /api/health reads, so the two never disagree), and BullMQ queue
 * depths from `getJobCounts`. Returns a function that stops reporting for this source.
 */
export function registerScrapeGauges(registry: Registry, source: ScrapeSource): () => void {
  const sources = sourcesOf(registry);
  sources.add(source);
  return () => {
    sources.delete(source);
  };
}

const SOURCES = new WeakMap<Registry, Set<ScrapeSource>>();

function sourcesOf(registry: Registry): Set<ScrapeSource> {
  let set = SOURCES.get(registry);
  if (set) return set;
  const all = new Set<ScrapeSource>();
  set = all;
  SOURCES.set(registry, all);
  const registers = [registry];
  const health = (name: string, help: string, pick: (r: HealthRow) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['chain_id'],
      registers,
      async collect() {
        this.reset();
        for (const s of all) {
          const row = await healthRow(s);
          const v = row ? pick(row) : null;
          if (v !== null && Number.isFinite(v)) this.set({ chain_id: String(s.chainId) }, v);
        }
      },
    });
  health('lianjian_chain_head_block', 'Latest block number the head follower saw', (r) =>
    Number(r.head_block),
  );
  health('lianjian_indexed_block', 'Highest block committed to Postgres (the cursor)', (r) =>
    Number(r.indexed_block),
  );
  health('lianjian_lag_blocks', 'Chain head minus indexed block', (r) => Number(r.lag_blocks));
  health('lianjian_lag_seconds', "Chain head's time minus the indexed block's time", (r) =>
    Number(r.lag_seconds),
  );
  health(
    'lianjian_chain_head_timestamp_seconds',
    "Unix time of the chain head's block (for stall alerts)",
    (r) => (r.head_time ? r.head_time.getTime() / 1000 : null),
  );
  health(
    'lianjian_health_updated_timestamp_seconds',
    'Unix time the health figures were last written',
    (r) => r.updated_at.getTime() / 1000,
  );
  health('lianjian_events_per_second', 'Events committed per second over the last minute', (r) =>
    Number(r.events_per_second),
  );
  health(
    'lianjian_block_interval_seconds',
    "The chain's usual block interval (median of recent blocks)",
    (r) => r.block_interval_seconds,
  );
  health('lianjian_rpc_last_ok_timestamp_seconds', 'Unix time of the last successful RPC call', (r) =>
    r.rpc_last_ok_at ? r.rpc_last_ok_at.getTime() / 1000 : null,
  );
  health(
    'lianjian_indexer_stalled_seconds',
    'Seconds the cursor has stood still while behind the head (0 when caught up); /api/health says ' +
      `degraded past ${STALL_THRESHOLDS.degradedSeconds} s and down past ${STALL_THRESHOLDS.downSeconds} s`,
    (r) =>
      indexerStall(
        {
          waitingForBlock: r.waiting_for_block === null ? null : Number(r.waiting_for_block),
          waitingReason: r.waiting_reason,
          cursorMovedAt: r.cursor_moved_at,
        },
        new Date(),
      ).seconds,
  );
  health(
    'lianjian_indexer_waiting_for_block',
    'The block the cursor waits for while behind the head (absent when caught up)',
    (r) => (r.waiting_for_block === null ? null : Number(r.waiting_for_block)),
  );
  new Gauge({
    name: 'lianjian_queue_jobs',
    help: 'BullMQ jobs per queue and state, read at scrape time',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const s of all) {
        for (const [name, q] of Object.entries(s.queues)) {
          const counts = await within(q.getJobCounts(...QUEUE_STATES));
          if (!counts) continue;
          for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      }
    },
  });
  return all;
}

/** One read per scrape and source, shared by the health gauges (they collect one after another). */
const cache = new WeakMap<ScrapeSource, { at: number; row: Promise<HealthRow | undefined> }>();

function healthRow(s: ScrapeSource): Promise<HealthRow | undefined> {
  const hit = cache.get(s);
  if (hit && Date.now() - hit.at < 500) return hit.row;
  const row = within(
    s.pool
      .query<HealthRow>(
        `SELECT head_block, indexed_block, lag_blocks, lag_seconds, head_time, events_per_second,
                block_interval_seconds, rpc_last_ok_at, updated_at, waiting_for_block, waiting_reason,
                cursor_moved_at
         FROM indexer_health WHERE chain_id = $1`,
        [s.chainId],
      )
      .then((r) => r.rows[0]),
  );
  cache.set(s, { at: Date.now(), row });
  return row;
}
