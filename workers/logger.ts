import pino from 'pino';

/** One JSON line per event on stderr (stdout stays free for CLI JSON output). */
export function createLogger(level: string) {
  return pino({ level, base: { app: 'lianjian-workers' } }, pino.destination(2));
}
