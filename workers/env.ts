import { z } from 'zod';
import { redisSentinelSettings } from '../domain/redis-target';

/** The configuration of DESIGN §3 for the workers and the CLI; nothing else reads process.env. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/lianjian'),
  /**
   * The schema owner's connection, used only to run migrations (docs/security.md, database roles).
   * Unset: migrations run over DATABASE_URL, as on a development machine where one role does both.
   */
  DATABASE_MIGRATION_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  ...redisSentinelSettings,
  CHAIN_RPC_URL: z.string().url().default('http://127.0.0.1:8545'),
  DEPLOYMENT_FILE: z.string().min(1).default('var/demo/deployment.json'),
  CONFIRMATIONS: z.coerce.number().int().nonnegative().default(0),
  /** Prefix of every BullMQ key, so tests and a running demo never share queues. */
  QUEUE_PREFIX: z.string().min(1).default('lianjian'),
  DEPLOYER_PRIVATE_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_PORT: z.coerce.number().int().positive().optional(),
  /** Where new high-severity incidents are POSTed (JSON, HMAC-SHA256 signed); unset = no webhook. */
  ALERT_WEBHOOK_URL: z.string().url().optional(),
  ALERT_WEBHOOK_SECRET: z.string().min(16, 'ALERT_WEBHOOK_SECRET must be at least 16 characters').optional(),
  /** Upper bound of blocks per range job (the size otherwise adapts to the chain's density). */
  INDEXER_MAX_RANGE_BLOCKS: z.coerce.number().int().positive().default(5000),
  /** Outgoing mail (reminders, escalations, report delivery); unset = no mail is sent. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('链监 Lianjian <lianjian@localhost>'),
  /** The deployment's SM2 private key (PEM) that signs export manifests (CLI); unset = none. */
  SIGNING_KEY_FILE: z.string().min(1).optional(),
});

export type WorkerEnv = z.infer<typeof envSchema>;

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const parsed = envSchema
    .refine((e) => !e.ALERT_WEBHOOK_URL || e.ALERT_WEBHOOK_SECRET, {
      path: ['ALERT_WEBHOOK_SECRET'],
      message: 'required when ALERT_WEBHOOK_URL is set',
    })
    .safeParse(source);
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
