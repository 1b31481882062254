import pino from 'pino';
import { webEnv } from './env';

let logger: pino.Logger | undefined;

/** The web runtime's logger (JSON lines on stdout). */
export function log(): pino.Logger {
  logger ??= pino({ level: webEnv().LOG_LEVEL, base: { service: 'lianjian-web' } });
  return logger;
}
