import { createDb } from '../db/client';
import { parseWebEnv } from '../server/env';
import { benchCaller, PAGES } from './dashboard-queries';
import { percentile } from './measure';

/**
 * 50 users opening the overview at once, a few times each: every page load fires the overview's
 * procedures in parallel, as the browser does. Errors must be zero; latency is per page load.
 */
export async function runDashboardConcurrencyBench({
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
    overview_concurrent_users: users,
    overview_concurrent_page_loads: ms.length + errors,
    overview_concurrent_errors: errors,
    overview_concurrent_p50_ms: Math.round(percentile(ms, 50)),
    overview_concurrent_p95_ms: Math.round(percentile(ms, 95)),
  };
}
