import { createDb } from '../db/client';
import { parseWebEnv } from '../server/env';
import { benchCaller, PAGES } from './dashboard-queries';
import { setRollupCacheEnabled } from '../server/services/rollup-cache';
import { percentile } from './measure';

/**
 * 50 users opening the overview at once, a few times each: every page load fires the overview's
 * procedures in parallel, as the browser does. Errors must be zero; latency is per page load.
 * Run twice: as served (the shared result cache on) and with every load running its own queries
 * (`_uncached_`: the worst case, a new block between every two loads).
 */
export async function runDashboardConcurrencyBench(opts: {
  quick: boolean;
  databaseUrl?: string;
}): Promise<Record<string, number>> {
  try {
    setRollupCacheEnabled(false);
    const cold = await concurrentOverview(opts);
    setRollupCacheEnabled(true);
    const served = await concurrentOverview(opts);
    return {
      ...prefixed('overview_concurrent_', served),
      ...prefixed('overview_concurrent_uncached_', cold),
    };
  } finally {
    setRollupCacheEnabled(true);
  }
}

function prefixed(prefix: string, o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [`${prefix}${k}`, v]));
}

async function concurrentOverview({
  quick,
  databaseUrl,
}: {
  quick: boolean;
  databaseUrl?: string;
}): Promise<Record<string, number>> {
  const users = 50;
  const rounds = quick ? 3 : 10;
  const env = parseWebEnv(process.env);
  // The web server's pool size (server/db.ts) is what 50 users share.
  const handle = createDb(databaseUrl ?? env.DATABASE_URL, {
    max: 10,
    applicationName: 'lianjian-bench-concurrency',
  });
  const procs = Object.values(PAGES.overview ?? {});
  const ms: number[] = [];
  let errors = 0;
  try {
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        const caller = benchCaller(handle.db, u % 5 === 0 ? 440100 : null);
        for (let r = 0; r < rounds; r++) {
          const t = performance.now();
          try {
            await Promise.all(procs.map((p) => p(caller)));
            ms.push(performance.now() - t);
          } catch {
            errors += 1;
          }
        }
      }),
    );
  } finally {
    await handle.close();
  }
  return {
    users,
    page_loads: ms.length + errors,
    errors,
    p50_ms: Math.round(percentile(ms, 50)),
    p95_ms: Math.round(percentile(ms, 95)),
  };
}
