// zod/mini: this module is on the CLI's start-up path, where the whole of zod's classic API cost
// ≈ 90 ms of loading; the mini schemas fit into the web's classic ones all the same.
import * as z from 'zod/mini';

/**
 * Where Redis is: one URL, or a Sentinel group that names the current master. Pure, so the web app,
 * the workers and the CLI read `REDIS_SENTINELS` the same way; each builds its own ioredis client.
 */
export type RedisTarget =
  | { kind: 'url'; url: string }
  | { kind: 'sentinel'; sentinels: { host: string; port: number }[]; masterName: string };

/** `host:port,host:port` (IPv6 as `[::1]:26379`); throws one plain line on a malformed entry. */
export function parseSentinels(list: string): { host: string; port: number }[] {
  const entries = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('REDIS_SENTINELS: no sentinel given');
  return entries.map((entry) => {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port < 1 || port > 65535) throw new Error(`REDIS_SENTINELS: "${entry}" is not host:port`);
    return { host: (m[1] ?? m[2])!, port };
  });
}

export function redisTarget(p: { url: string; sentinels?: string; masterName: string }): RedisTarget {
  if (!p.sentinels) return { kind: 'url', url: p.url };
  return { kind: 'sentinel', sentinels: parseSentinels(p.sentinels), masterName: p.masterName };
}

/** For zod: true when `list` parses (the error line itself comes from parseSentinels). */
export function sentinelsProblem(list: string | undefined): string | null {
  if (list === undefined) return null;
  try {
    parseSentinels(list);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The Sentinel settings, spread into the web's and the workers' configuration schemas alike. */
export const redisSentinelSettings = {
  /** Redis through Sentinel (`host:port,host:port`) instead of REDIS_URL; the master by its name. */
  REDIS_SENTINELS: z.optional(
    z.string().check(
      z.minLength(1),
      z.superRefine((v, ctx) => {
        const problem = sentinelsProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
      }),
    ),
  ),
  REDIS_MASTER_NAME: z._default(z.string().check(z.minLength(1)), 'lianjian'),
};
