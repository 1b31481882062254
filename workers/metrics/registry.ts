import { Counter, Histogram, Registry } from 'prom-client';

/**
 * The workers' Prometheus metrics that are counted as things happen. One registry per process
 * (not prom-client's global one), created on first use: the reorg path and the job handlers count
 * into it whether or not /metrics is served, which costs a few additions per job.
 *
 * Counters are per process: sum them over instances (`sum without (instance) (rate(...))`).
 */
export interface WorkerMetrics {
  registry: Registry;
  eventsIndexed: Counter<'event'>;
  rangeJobDuration: Histogram<'outcome'>;
  jobsFailed: Counter<'queue'>;
  jobsRetried: Counter<'queue'>;
  reorgsHandled: Counter;
  incidentsCreated: Counter<'rule'>;
}

let metrics: WorkerMetrics | undefined;

export function workerMetrics(): WorkerMetrics {
  if (metrics) return metrics;
  const registry = new Registry();
  const registers = [registry];
  metrics = {
    registry,
    eventsIndexed: new Counter({
      name: 'lianjian_events_indexed_total',
      help: 'Raw chain events committed to Postgres, by event name (DESIGN §2)',
      labelNames: ['event'],
      registers,
    }),
    rangeJobDuration: new Histogram({
      name: 'lianjian_range_job_duration_seconds',
      help: 'Wall time of one range job (fetch, decode, wait for its predecessor, commit), by outcome',
      labelNames: ['outcome'],
      // Live ranges take tens of ms; a backfill range of thousands of events takes seconds.
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    jobsFailed: new Counter({
      name: 'lianjian_jobs_failed_total',
      help: 'Jobs that failed for good (attempts exhausted or unrecoverable data), by queue',
      labelNames: ['queue'],
      registers,
    }),
    jobsRetried: new Counter({
      name: 'lianjian_jobs_retried_total',
      help: 'Job attempts that failed and will be retried (RPC or DB errors, waiting for a predecessor)',
      labelNames: ['queue'],
      registers,
    }),
    reorgsHandled: new Counter({
      name: 'lianjian_reorgs_handled_total',
      help: 'Chain reorganisations rolled back to a common ancestor by this process',
      registers,
    }),
    incidentsCreated: new Counter({
      name: 'lianjian_incidents_created_total',
      help: 'Incidents created by this process, by rule id (DESIGN §5)',
      labelNames: ['rule'],
      registers,
    }),
  };
  return metrics;
}
