import { z } from 'zod';
import { redisSentinelSettings } from '../domain/redis-target';

/**
 * The web runtime's configuration (DESIGN §3 plus the web's own). The only module of server/
 * and app/ that reads process.env.
 *
 * AUTH_SECRET signs session cookies and encrypts TOTP secrets. In production it is required;
 * in development and tests a fixed, publicly known default is used so `next dev` and the test
 * suite work without setup — never run a reachable server on it.
 */
export const DEV_AUTH_SECRET = 'lianjian-dev-secret-not-for-production-0000';

/** Published values (this file, deploy/lianjian.env.example) that production must never run on. */
export const KNOWN_SECRETS: readonly string[] = [
  DEV_AUTH_SECRET,
  'CHANGE_ME_TO_32_OR_MORE_RANDOM_CHARACTERS',
];

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/lianjian'),
    /** A streaming replica for dashboard and report reads; unset = everything reads the primary. */
    DATABASE_READ_URL: z.url().optional(),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    ...redisSentinelSettings,
    /**
     * Prefix of the web's Redis keys (the rollup answers every web process shares): tests, benches
     * and a demo on one Redis use their own, as the workers' QUEUE_PREFIX keeps their queues apart.
     */
    CACHE_PREFIX: z.string().min(1).default('lianjian'),
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
    /**
     * Public origin of the app, e.g. https://lianjian.gov.example. Cookies are Secure when it is
     * https. Unset: the origin is taken from each request (fine behind one host, e.g. tests).
     */
    BASE_URL: z.url().optional(),
    /** Which chain's indexer_health row /api/health reads; unset = the most recently updated. */
    CHAIN_ID: z.coerce.number().int().positive().optional(),
    /** `required`: admin permissions need an enrolled TOTP second factor. */
    ADMIN_TOTP: z.enum(['required', 'optional']).default('required'),
    /**
     * Comma-separated addresses of reverse proxies whose X-Forwarded-For entries are believed
     * (server/auth/ip.ts). Unset: only the last X-Forwarded-For hop counts.
     */
    TRUSTED_PROXIES: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The deployment's SM2 private key (PEM) that signs manifests and evidence packages. */
    SIGNING_KEY_FILE: z.string().min(1).optional(),
    /**
     * Resource limits (docs/security.md, Limits): exports and downloads one user may run at once
     * (429 beyond), the export pool's size = exports of the process at once (503 beyond), and PDFs
     * the one shared Chromium prints at once (the rest wait their turn).
     */
    EXPORTS_PER_USER: z.coerce.number().int().min(1).max(100).default(2),
    EXPORT_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    PDF_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    /** The node /verify re-reads uploaded evidence from (DESIGN §3). */
    CHAIN_RPC_URL: z.url().default('http://127.0.0.1:8545'),
  })
  .transform((e, ctx) => {
    if (!e.AUTH_SECRET && e.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'AUTH_SECRET is required in production',
      });
      return z.NEVER;
    }
    if (e.NODE_ENV === 'production' && e.AUTH_SECRET && KNOWN_SECRETS.includes(e.AUTH_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SECRET'],
        message: 'AUTH_SECRET is a published example value; generate one (openssl rand -base64 48)',
      });
      return z.NEVER;
    }
    return { ...e, AUTH_SECRET: e.AUTH_SECRET ?? DEV_AUTH_SECRET };
  });

export type WebEnv = z.output<typeof envSchema>;

export function parseWebEnv(source: Record<string, string | undefined>): WebEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${i?.path.join('.')}: ${i?.message}`);
  }
  return parsed.data;
}

let cached: WebEnv | undefined;

/** Read once, on first use (not at import: `next build` imports modules without runtime env). */
export function webEnv(): WebEnv {
  cached ??= parseWebEnv(process.env);
  return cached;
}

/**
 * Whether this is `next dev`, from NODE_ENV alone: safe at import time, where webEnv() is not
 * (tRPC decides its error shapes when server/trpc.ts loads, `next build` included).
 */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}

let trusted: readonly string[] | undefined;

/**
 * TRUSTED_PROXIES alone, for server/auth/ip.ts: read without validating the rest of the
 * configuration, so code paths that only need the client address work wherever they run.
 */
export function trustedProxies(): readonly string[] {
  trusted ??= (process.env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return trusted;
}
