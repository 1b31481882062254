import { createLogger } from '../../workers/logger';
import { startWorkers, type RunningWorkers } from '../../workers/queues/start-workers';
import type { CliCommand } from '../command';
import { intOption } from '../command';
import { createReportWork } from '../report-work';
import { stopRequested } from '../signals';
import { boundHeapGrowth } from '../../workers/indexer/heap-growth';

/**
 * Hard limit for a stop, counted from the signal: past it the process exits anyway. Under
 * systemd's TimeoutStopSec=30 with room to spare. Exit code 0 still: every job is idempotent and
 * an unfinished one is handed to another worker when its lock expires, so nothing is lost.
 */
const SHUTDOWN_TIMEOUT_MS = 20_000;

export const workCommand: CliCommand = {
  name: 'work',
  usage: 'work [--concurrency N]',
  options: { concurrency: { type: 'string' } },
  async run({ env, values }) {
    boundHeapGrowth();
    // cli/main.ts listens for SIGTERM/SIGINT before anything loads: a signal during start-up (systemd
    // stopping a unit that is still connecting to a Redis that is down) is kept, not fatal.
    const stop = stopRequested();
    const concurrency = intOption(values, 'concurrency', 2);
    const logger = createLogger(env.LOG_LEVEL);
    const logLine = ({ level, msg, ...rest }: Record<string, unknown>) =>
      logger[(level as 'info' | 'warn' | undefined) ?? 'info'](rest, String(msg));
    let stopping = false;
    const armDeadline = (signal: string) => {
      logger.info({ signal }, 'stopping: finishing or giving back current jobs');
      setTimeout(() => {
        logger.warn(
          { timeoutMs: SHUTDOWN_TIMEOUT_MS },
          'graceful stop timed out; exiting (jobs are idempotent)',
        );
        process.exit(0);
      }, SHUTDOWN_TIMEOUT_MS).unref();
    };
    void stop.then((signal) => {
      stopping = true;
      armDeadline(signal);
    });

    // Start-up may hang on a Redis or Postgres that is down; a stop signal ends the wait.
    const startup = startWorkers({
      env,
      concurrency,
      log: logLine,
      reports: (db) => createReportWork({ env, db, log: logLine }),
    });
    const first = await Promise.race([startup, stop.then(() => null)]);
    let running: RunningWorkers | null = first;
    if (!running) {
      // Stopped during start-up: let a start-up that is about to finish finish, then close it.
      running = await Promise.race([
        startup.catch(() => null),
        new Promise<null>((r) => setTimeout(() => r(null), 3_000)),
      ]);
      if (running) await running.close();
      logger.info('stopped during start-up');
      return undefined;
    }
    logger.info({ chainId: running.ctx.chainId, concurrency }, 'workers started');
    if (!stopping) await stop;
    await running.close();
    logger.info('stopped');
    return undefined;
  },
};
