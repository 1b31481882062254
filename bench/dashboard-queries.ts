/**
 * Dashboard query latency: times every procedure behind /, /flows, /adoption and /chain through
 * createCaller against whatever database DATABASE_URL points at (index a simulated chain there
 * first: `npm run cli -- simulate … && npm run cli -- index --until-head`). Figures are p50/p95 ms
 * per procedure and per page load (the page's procedures in parallel, as the browser fires them),
 * for a nation-wide caller and one scoped to Guangzhou. The shared result cache is off for these
 * (every call runs its queries: a first visit after new blocks); `*_cached_*` figures time the
 * overview again with it on, as users of the same data after the first one see it.
 *
 *   npx tsx bench/dashboard-queries.ts [--quick]
 */
import { createDb, type DbHandle } from '../db/client';
import type { Caller } from '../server/auth/caller';
import { parseWebEnv } from '../server/env';
import { appRouter } from '../server/routers/_app';
import { setRollupCacheEnabled } from '../server/services/rollup-cache';
import { createCallerFactory } from '../server/trpc';
import { runWhenMain } from './bench-db';

const factory = createCallerFactory(appRouter);
type DashCaller = ReturnType<typeof factory>;

export const PAGES: Record<string, Record<string, (c: DashCaller) => Promise<unknown>>> = {
  overview: {
    summary: (c) => c.overview.summary({}),
    highIncidents: (c) => c.overview.highIncidents({}),
  },
  flows: {
    sankey: (c) => c.flows.sankey({ group: 'org', top: 30 }),
    matrix: (c) => c.flows.matrix({ axis: 'kind' }),
    series: (c) => c.flows.series({}),
    accesses: (c) => c.flows.accesses({ limit: 20 }),
    sankey_region_90d: (c) => c.flows.sankey({ group: 'region', period: '90d' }),
  },
  adoption: {
    regions: (c) => c.adoption.regions({}),
    trend: (c) => c.adoption.trend({}),
    regions_province: (c) => c.adoption.regions({ province: 440000 }),
  },
  chain: {
    status: (c) => c.chain.status({}),
    activity: (c) => c.chain.activity({}),
    stalls: (c) => c.chain.stalls({}),
  },
};

function pct(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] ?? 0) * 10) / 10;
}

async function timeIt(runs: number, f: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await f(); // warm-up: plan cache, pool connections
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

/** A caller as the web makes one for a signed-in user: an admin, nation-wide or scoped. */
export function benchCaller(db: DbHandle['db'], regionCode: number | null): DashCaller {
  const caller: Caller = {
    userId: '00000000-0000-0000-0000-000000000000',
    email: 'bench@example.gov.cn',
    name: 'bench',
    role: 'admin',
    regionCode,
    twoFactorEnabled: true,
    via: { kind: 'session', sessionId: 'bench' },
  };
  return factory({ db, caller, ip: null, policy: { adminTotp: 'optional' } });
}

export async function runDashboardBench({
  quick,
  databaseUrl,
}: {
  quick: boolean;
  databaseUrl?: string;
}): Promise<Record<string, number>> {
  const env = parseWebEnv(process.env);
  const handle = createDb(databaseUrl ?? env.DATABASE_URL, {
    max: 8,
    applicationName: 'lianjian-bench-dashboard',
  });
  const callerFor = (regionCode: number | null) => benchCaller(handle.db, regionCode);
  const runs = quick ? 5 : 30;
  const out: Record<string, number> = {};
  try {
    setRollupCacheEnabled(false);
    for (const [scopeName, scope] of [
      ['nation', null],
      ['gz', 440100],
    ] as const) {
      const c = callerFor(scope);
      for (const [page, procs] of Object.entries(PAGES)) {
        for (const [name, call] of Object.entries(procs)) {
          const r = await timeIt(runs, () => call(c));
          out[`${scopeName}_${page}_${name}_p50_ms`] = r.p50;
          out[`${scopeName}_${page}_${name}_p95_ms`] = r.p95;
        }
        const load = await timeIt(runs, () => Promise.all(Object.values(procs).map((call) => call(c))));
        out[`${scopeName}_${page}_page_p50_ms`] = load.p50;
        out[`${scopeName}_${page}_page_p95_ms`] = load.p95;
      }
    }
    setRollupCacheEnabled(true);
    for (const [scopeName, scope] of [
      ['nation', null],
      ['gz', 440100],
    ] as const) {
      const c = callerFor(scope);
      const procs = Object.values(PAGES.overview ?? {});
      const load = await timeIt(runs, () => Promise.all(procs.map((call) => call(c))));
      out[`${scopeName}_overview_page_cached_p50_ms`] = load.p50;
      out[`${scopeName}_overview_page_cached_p95_ms`] = load.p95;
    }
    const { rows } = await handle.pool.query<{ n: string }>('select count(*) n from accesses');
    out.accesses_rows = Number(rows[0]?.n ?? 0);
  } finally {
    setRollupCacheEnabled(true);
    await handle.close();
  }
  return out;
}

runWhenMain(import.meta.url, 'dashboard-queries', runDashboardBench);
