import { createWorkerRedis } from '../redis-connection';
import { DelayedError, Queue, Worker } from 'bullmq';
import type { WorkerEnv } from '../env';
import { runWindowedDetection } from '../incidents/detect-windowed';
import { createIndexerContext, type IndexerContext } from '../indexer/context';
import { RangeSizer } from '../indexer/range-size';
import { indexRangeJob } from '../jobs/index-range';
import { planRanges } from '../jobs/plan-ranges';
import { instrumentWorkers } from '../metrics/instrument';
import { errorLine } from '../metrics/job-log';
import { startAlerts } from '../alerts/start-alerts';
import { startSupervision } from '../supervision/start-supervision';
import { detectSchedulerId, headSchedulerId, QUEUES, retriedKey, type RangeJobData } from './names';

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
  log?: (line: Record<string, unknown>) => void;
}

/**
 * Runs the head follower, range jobs and windowed detection in this process. Any number of these
 * processes may run against one Redis and one Postgres: the cursor row lock orders commits and
 * job ids are deterministic.
 */
export async function startWorkers(opts: WorkerOptions): Promise<RunningWorkers> {
  const { env } = opts;
  const concurrency = opts.concurrency ?? 2;
  const log = opts.log ?? (() => {});
  const ctx = await createIndexerContext(env, { poolSize: concurrency + 4 });
  // pg-pool listens for errors only on idle clients: a connection terminated while checked out
  // (pg_terminate_backend, a Postgres restart or failover) emitted an unhandled 'error' that
  // killed the process. The query in flight fails anyway and its job retries; found by the chaos test.
  const guarded = new WeakSet<object>();
  ctx.dbh.pool.on('acquire', (client) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', (e: Error) =>
      log({ level: 'warn', msg: 'postgres connection lost', err: errorLine(e) }),
    );
  });
  const prefix = env.QUEUE_PREFIX;
  const connection = createWorkerRedis(env, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  connection.on('error', (e: Error) => log({ level: 'warn', msg: 'redis error', err: e.message }));
  const queueOpts = { connection, prefix };
  const rangesQueue = new Queue<RangeJobData>(QUEUES.ranges, {
    ...queueOpts,
    defaultJobOptions: {
      // Failures only (RPC, database): a range waiting for its predecessor parks without spending
      // attempts. A range that fails for good is planned afresh by the head follower.
      attempts: 20,
      backoff: { type: 'capped' },
      removeOnComplete: { count: 200 },
      removeOnFail: { count: 500 },
    },
  });
  const headQueue = new Queue(QUEUES.head, queueOpts);
  const detectQueue = new Queue(QUEUES.detect, queueOpts);
  // Without a listener BullMQ prints queue errors raw to stderr; the connection's listener above
  // already logs them once at warn.
  for (const q of [rangesQueue, headQueue, detectQueue]) {
    q.on('error', (e: Error) =>
      log({ level: 'debug', msg: 'queue error', queue: q.name, err: errorLine(e) }),
    );
  }
  const upsertSchedulers = async () => {
    await headQueue.upsertJobScheduler(
      headSchedulerId(ctx.chainId),
      { every: opts.headEveryMs ?? 250 },
      { name: 'head', data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 50 } } },
    );
    await detectQueue.upsertJobScheduler(
      detectSchedulerId(ctx.chainId),
      { every: opts.detectEveryMs ?? 30_000 },
      { name: 'detect', data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 50 } } },
    );
  };
  await upsertSchedulers();
  // A Redis that restarted empty has lost the schedulers: put them back on every reconnect.
  // Postgres holds the truth, so the head follower then re-plans whatever was lost.
  connection.on('ready', () => {
    upsertSchedulers().catch((e: Error) =>
      log({ level: 'warn', msg: 'scheduler upsert failed', err: e.message }),
    );
  });

  let stopping = false;
  const sizer = new RangeSizer(
    8000,
    1,
    env.INDEXER_MAX_RANGE_BLOCKS,
    Math.min(500, env.INDEXER_MAX_RANGE_BLOCKS),
  );
  // Short locks: a SIGKILLed worker's range is handed to another worker within seconds.
  const workerOpts = { connection, prefix, maxStalledCount: 5, lockDuration: 10_000, stalledInterval: 5_000 };
  const headWorker = new Worker(
    QUEUES.head,
    async (job) => {
      const started = Date.now();
      const r = await planRanges({
        ctx,
        redis: connection,
        prefix,
        ranges: rangesQueue,
        sizer,
        maxQueued: concurrency * 4,
      });
      // Four head jobs a second: one line each only at debug level.
      log({
        level: 'debug',
        msg: 'head job',
        queue: QUEUES.head,
        jobId: job.id,
        ...r,
        durationMs: Date.now() - started,
      });
      return r;
    },
    { ...workerOpts, concurrency: 1 },
  );
  const rangeWorker = new Worker<RangeJobData>(
    QUEUES.ranges,
    async (job, token) => {
      const started = Date.now();
      const park = async (reason: string): Promise<never> => {
        const waits = (job.data.waits ?? 0) + 1;
        await job.updateData({ ...job.data, waits });
        // 50 ms, doubling to at most 1 s: a successor re-runs soon after its predecessor commits.
        await job.moveToDelayed(Date.now() + Math.min(1_000, 25 * 2 ** Math.min(waits, 6)), token);
        log({ level: 'debug', msg: 'range job parked', queue: QUEUES.ranges, jobId: job.id, waits, reason });
        throw new DelayedError(reason);
      };
      const r = await indexRangeJob(ctx, job.data, { shouldStop: () => stopping, park });
      if (r.outcome === 'committed') sizer.observe(job.data.toBlock - job.data.fromBlock + 1, r.events);
      const { byEvent: _byEvent, ...line } = r;
      log({
        level: 'info',
        msg: 'range job',
        queue: QUEUES.ranges,
        jobId: job.id,
        attempt: job.attemptsMade + 1,
        ...line,
        durationMs: Date.now() - started,
      });
      return r;
    },
    {
      ...workerOpts,
      concurrency,
      settings: {
        backoffStrategy: (attemptsMade: number) => Math.min(2_000, 100 * 2 ** Math.max(0, attemptsMade - 1)),
      },
    },
  );
  rangeWorker.on('failed', (job, err) => {
    log({
      level: 'warn',
      msg: 'range job failed',
      queue: QUEUES.ranges,
      jobId: job?.id,
      attempt: job?.attemptsMade,
      durationMs: job?.processedOn ? Date.now() - job.processedOn : undefined,
      err: errorLine(err),
    });
    if (job && job.attemptsMade < (job.opts.attempts ?? 1))
      void connection.incr(retriedKey(prefix, ctx.chainId)).catch(() => {});
  });
  const detectWorker = new Worker(
    QUEUES.detect,
    async (job) => {
      const started = Date.now();
      const r = await runWindowedDetection({ db: ctx.dbh.db, chainId: ctx.chainId, settings: ctx.settings });
      log({
        level: 'info',
        msg: 'detect job',
        queue: QUEUES.detect,
        jobId: job.id,
        ...r,
        durationMs: Date.now() - started,
      });
      return r;
    },
    { ...workerOpts, concurrency: 1 },
  );
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
  for (const [queue, w] of [
    [QUEUES.head, headWorker],
    [QUEUES.detect, detectWorker],
  ] as const) {
    w.on('failed', (job, err) =>
      log({ level: 'warn', msg: `${queue} job failed`, queue, jobId: job?.id, err: errorLine(err) }),
    );
  }
  for (const w of [headWorker, rangeWorker, detectWorker]) {
    w.on('error', (e: Error) => log({ level: 'warn', msg: 'worker error', err: errorLine(e) }));
  }
  const metrics = await instrumentWorkers({
    chainId: ctx.chainId,
    pool: ctx.dbh.pool,
    queues: { head: headQueue, ranges: rangesQueue, detect: detectQueue },
    workers: { head: headWorker, ranges: rangeWorker, detect: detectWorker },
    port: env.METRICS_PORT,
    log,
  });

  return {
    ctx,
    async close() {
      stopping = true;
      await metrics.close();
      await Promise.all([
        headWorker.close(),
        rangeWorker.close(),
        detectWorker.close(),
        alerts?.close(),
        supervision.close(),
      ]);
      await Promise.all([rangesQueue.close(), headQueue.close(), detectQueue.close()]);
      await connection.quit().catch(() => connection.disconnect());
      await ctx.dbh.close();
    },
  };
}
