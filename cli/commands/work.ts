import { createLogger } from '../../workers/logger';
import { startWorkers } from '../../workers/queues/start-workers';
import type { CliCommand } from '../command';
import { intOption } from '../command';
import { startReportWorker } from '../report-worker';

/** Hard limit for a graceful stop: past it the process exits anyway (jobs are idempotent). */
const SHUTDOWN_TIMEOUT_MS = 25_000;

export const workCommand: CliCommand = {
  name: 'work',
  usage: 'work [--concurrency N]',
  options: { concurrency: { type: 'string' } },
  async run({ env, values }) {
    // Listen before starting: a SIGTERM during start-up (systemd stopping a unit that is still
    // connecting) must still end in a clean stop with exit 0, not in the default signal death.
    const stopRequested = new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    const concurrency = intOption(values, 'concurrency', 2);
    const logger = createLogger(env.LOG_LEVEL);
    const logLine = ({ level, msg, ...rest }: Record<string, unknown>) =>
      logger[(level as 'info' | 'warn' | undefined) ?? 'info'](rest, String(msg));
    const running = await startWorkers({ env, concurrency, log: logLine });
    const reports = await startReportWorker({ env, db: running.ctx.dbh.db, log: logLine });
    logger.info({ chainId: running.ctx.chainId, concurrency }, 'workers started');
    const signal = await stopRequested;
    logger.info({ signal }, 'stopping: finishing or giving back current jobs');
    const timer = setTimeout(() => {
      logger.error('graceful stop timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    await reports.close();
    await running.close();
    clearTimeout(timer);
    logger.info('stopped');
    return undefined;
  },
};
