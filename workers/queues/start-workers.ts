import type { Db } from '../../db/client';
import { startAlerts } from '../alerts/start-alerts';
import type { WorkerEnv } from '../env';
import { createIndexerContext, type IndexerContext } from '../indexer/context';
import { RangeSizer } from '../indexer/range-size';
import { instrumentWorkers } from '../metrics/instrument';
import { startReports, type ReportWork } from '../reports/start-reports';
import { startSupervision } from '../supervision/start-supervision';
import { logLostConnections, openQueueConnection } from './connection';
import { createIndexerQueues } from './indexer-queues';
import { createIndexerWorkers } from './indexer-workers';
import type { LogLine } from './log';
import { keepScheduled, upsertIndexerSchedulers } from './schedulers';
import { closeInOrder } from './shutdown';

export interface RunningWorkers {
  ctx: IndexerContext;
  /** Stops taking jobs, lets the current ones finish or give back, closes every connection. */
  close(): Promise<void>;
}

export interface WorkerOptions {
  env: WorkerEnv;
  concurrency?: number;
  /** How often the head follower looks at the chain (ms); 250 keeps live latency under 1 s. */
  headEveryMs?: number;
  detectEveryMs?: number;
  log?: LogLine;
  /** The scheduled reports' work (server/reports, passed in by the CLI); without it no reports queue. */
  reports?: (db: Db) => ReportWork;
}

/**
 * Runs the head follower, range jobs and windowed detection in this process, with alerts, 督办
 * sweeps and (when given) scheduled reports. Any number of these processes may run against one
 * Redis and one Postgres: the cursor row lock orders commits and job ids are deterministic.
 * This function only wires the parts; each lives in its own module.
 */
export async function startWorkers(opts: WorkerOptions): Promise<RunningWorkers> {
  const { env } = opts;
  const concurrency = opts.concurrency ?? 2;
  const log = opts.log ?? (() => {});
  const ctx = await createIndexerContext(env, { poolSize: concurrency + 4 });
  logLostConnections(ctx.dbh.pool, log);
  const prefix = env.QUEUE_PREFIX;
  const connection = openQueueConnection(env, log);
  const queues = createIndexerQueues({ connection, prefix, log });
  await keepScheduled(
    connection,
    'indexer',
    () =>
      upsertIndexerSchedulers(queues, ctx.chainId, {
        headMs: opts.headEveryMs,
        detectMs: opts.detectEveryMs,
      }),
    log,
  );

  let stopping = false;
  const sizer = new RangeSizer(
    8000,
    1,
    env.INDEXER_MAX_RANGE_BLOCKS,
    Math.min(500, env.INDEXER_MAX_RANGE_BLOCKS),
  );
  const workers = createIndexerWorkers({
    ctx,
    connection,
    prefix,
    queues,
    concurrency,
    sizer,
    shouldStop: () => stopping,
    log,
  });
  const alerts = await startAlerts({
    url: env.ALERT_WEBHOOK_URL,
    secret: env.ALERT_WEBHOOK_SECRET,
    connection,
    prefix,
    pool: ctx.dbh.pool,
    log,
  });
  const supervision = await startSupervision({
    db: ctx.dbh.db,
    connection,
    prefix,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    webhook:
      env.ALERT_WEBHOOK_URL && env.ALERT_WEBHOOK_SECRET
        ? { url: env.ALERT_WEBHOOK_URL, secret: env.ALERT_WEBHOOK_SECRET }
        : null,
    log,
  });
  const reports = opts.reports
    ? await startReports({ connection, prefix, work: opts.reports(ctx.dbh.db), log })
    : null;
  const metrics = await instrumentWorkers({
    chainId: ctx.chainId,
    pool: ctx.dbh.pool,
    queues,
    workers,
    port: env.METRICS_PORT,
    log,
  });

  return {
    ctx,
    async close() {
      stopping = true;
      await closeInOrder({
        metrics,
        workers: [workers.head, workers.ranges, workers.detect, alerts, supervision, reports],
        queues: [queues.ranges, queues.head, queues.detect],
        connection,
        db: ctx.dbh,
      });
    },
  };
}
