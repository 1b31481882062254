import type { Job, Queue, Worker } from 'bullmq';
import type pg from 'pg';
import { incidentsByRule } from './incidents';
import { workerMetrics } from './registry';
import { registerScrapeGauges } from './scrape-sources';
import { startMetricsServer, type MetricsServer } from './server';

/** What a range job returns that the metrics read (see workers/jobs/index-range.ts). */
interface RangeResultLike {
  outcome?: string;
  incidents?: number;
  fromBlock?: number;
  toBlock?: number;
  byEvent?: Record<string, number>;
}

interface DetectResultLike {
  volumeSpikes?: { created?: number };
  chainStalls?: { created?: number };
}

export interface InstrumentOptions {
  chainId: number;
  pool: pg.Pool;
  queues: { head: Queue; ranges: Queue; detect: Queue };
  workers: { head: Worker; ranges: Worker; detect: Worker };
  /** Serve /metrics on this port; unset: count, but serve nothing (METRICS_PORT). */
  port?: number;
  log: (line: Record<string, unknown>) => void;
}

const seconds = (job: Job) =>
  job.processedOn && job.finishedOn ? Math.max(0, job.finishedOn - job.processedOn) / 1000 : null;

/**
 * Hooks the workers' events into the Prometheus metrics and, when a port is given, serves them.
 * Listening to BullMQ's `completed`/`failed` events keeps the job code free of metrics calls.
 */
export async function instrumentWorkers(o: InstrumentOptions): Promise<{ close(): Promise<void> }> {
  const m = workerMetrics();
  for (const [queue, w] of Object.entries(o.workers)) {
    w.on('failed', (job: Job | undefined, err: Error) => {
      // BullMQ sets finishedOn only when the job has failed for good (no attempt left).
      if (job?.finishedOn || err.name === 'UnrecoverableError') m.jobsFailed.inc({ queue });
      else m.jobsRetried.inc({ queue });
      if (queue === 'ranges' && job?.processedOn)
        m.rangeJobDuration.observe({ outcome: 'failed' }, (Date.now() - job.processedOn) / 1000);
    });
  }
  o.workers.ranges.on('completed', (job: Job, result: RangeResultLike) => {
    const s = seconds(job);
    if (s !== null) m.rangeJobDuration.observe({ outcome: result.outcome ?? 'unknown' }, s);
    for (const [event, n] of Object.entries(result.byEvent ?? {})) m.eventsIndexed.inc({ event }, n);
    if ((result.incidents ?? 0) > 0 && result.fromBlock !== undefined && result.toBlock !== undefined) {
      incidentsByRule(o.pool, o.chainId, result.fromBlock, result.toBlock).then(
        (byRule) => {
          for (const [rule, n] of Object.entries(byRule)) m.incidentsCreated.inc({ rule }, n);
        },
        (e: Error) => o.log({ level: 'warn', msg: 'incident metrics failed', err: e.message }),
      );
    }
  });
  o.workers.detect.on('completed', (_job: Job, r: DetectResultLike) => {
    const spikes = r.volumeSpikes?.created ?? 0;
    const stalls = r.chainStalls?.created ?? 0;
    if (spikes > 0) m.incidentsCreated.inc({ rule: 'VOLUME_SPIKE' }, spikes);
    if (stalls > 0) m.incidentsCreated.inc({ rule: 'CHAIN_STALLED' }, stalls);
  });
  const unregister = registerScrapeGauges(m.registry, {
    chainId: o.chainId,
    pool: o.pool,
    queues: { ...o.queues },
  });
  let server: MetricsServer | null = null;
  if (o.port !== undefined) {
    server = await startMetricsServer({ port: o.port, registry: m.registry });
    o.log({ level: 'info', msg: 'metrics served', port: server.port, path: '/metrics' });
  }
  return {
    async close() {
      unregister();
      await server?.close();
    },
  };
}
