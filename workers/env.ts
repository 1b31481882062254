// zod/mini: this schema is read on every start of the CLI and the workers, where loading zod's
// classic API cost ≈ 90 ms (its mini form is a tenth of the code). English messages as before.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { redisSentinelSettings } from '../domain/redis-target';

z.config(en());

const url = () => z.url();
const whole = () => z.coerce.number().check(z.int());

/** The configuration of DESIGN §3 for the workers and the CLI; nothing else reads process.env. */
const envSchema = z
  .object({
    DATABASE_URL: z._default(url(), 'postgres://postgres@127.0.0.1:5432/lianjian'),
    /**
     * The schema owner's connection, used only to run migrations (docs/security.md, database roles).
     * Unset: migrations run over DATABASE_URL, as on a development machine where one role does both.
     */
    DATABASE_MIGRATION_URL: z.optional(url()),
    REDIS_URL: z._default(url(), 'redis://127.0.0.1:6379'),
    ...redisSentinelSettings,
    CHAIN_RPC_URL: z._default(url(), 'http://127.0.0.1:8545'),
    DEPLOYMENT_FILE: z._default(z.string().check(z.minLength(1)), 'var/demo/deployment.json'),
    CONFIRMATIONS: z._default(whole().check(z.nonnegative()), 0),
    /** Prefix of every BullMQ key, so tests and a running demo never share queues. */
    QUEUE_PREFIX: z._default(z.string().check(z.minLength(1)), 'lianjian'),
    DEPLOYER_PRIVATE_KEY: z.optional(z.string().check(z.regex(/^0x[0-9a-fA-F]{64}$/))),
    LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
    METRICS_PORT: z.optional(whole().check(z.positive())),
    /** Where new high-severity incidents are POSTed (JSON, HMAC-SHA256 signed); unset = no webhook. */
    ALERT_WEBHOOK_URL: z.optional(url()),
    ALERT_WEBHOOK_SECRET: z.optional(
      z.string().check(z.minLength(16, 'ALERT_WEBHOOK_SECRET must be at least 16 characters')),
    ),
    /** Upper bound of blocks per range job (the size otherwise adapts to the chain's density). */
    INDEXER_MAX_RANGE_BLOCKS: z._default(whole().check(z.positive()), 5000),
    /** Outgoing mail (reminders, escalations, report delivery); unset = no mail is sent. */
    SMTP_URL: z.optional(
      z.string().check(z.regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')),
    ),
    MAIL_FROM: z._default(z.string().check(z.minLength(3)), '链监 Lianjian <lianjian@localhost>'),
    /** The deployment's SM2 private key (PEM) that signs export manifests (CLI); unset = none. */
    SIGNING_KEY_FILE: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.refine((e) => !e.ALERT_WEBHOOK_URL || e.ALERT_WEBHOOK_SECRET, {
      path: ['ALERT_WEBHOOK_SECRET'],
      message: 'required when ALERT_WEBHOOK_URL is set',
    }),
  );

export type WorkerEnv = z.infer<typeof envSchema>;

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${i?.path.join('.')}: ${i?.message}`);
  }
  return parsed.data;
}

/** The URL migrations run over: the owner role's when configured, else the runtime's. */
export function migrationUrl(env: Pick<WorkerEnv, 'DATABASE_URL' | 'DATABASE_MIGRATION_URL'>): string {
  return env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL;
}
