import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface WebMetrics {
  registry: Registry;
  trpcDuration: Histogram<'procedure' | 'method' | 'status'>;
  /** Set at each scrape when a read replica is configured; -1 when it cannot be read. */
  replicaLagSeconds: Gauge;
  replicaLagBytes: Gauge;
}

/**
 * The web process's registry. Kept on globalThis: Next.js may load a module once per route
 * bundle, and the /api/trpc route that observes and the /api/metrics route that serves must
 * share one registry (and prom-client refuses to register a metric name twice).
 */
const KEY = Symbol.for('lianjian.webMetrics');
type Holder = { [KEY]?: WebMetrics };

export function webMetrics(): WebMetrics {
  const g = globalThis as Holder;
  if (g[KEY]) return g[KEY];
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lianjian_web_' });
  const metrics: WebMetrics = {
    registry,
    trpcDuration: new Histogram({
      name: 'lianjian_web_trpc_request_duration_seconds',
      help: 'Time to answer a tRPC HTTP request, by procedure (each procedure of a batch gets the batch time)',
      labelNames: ['procedure', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    replicaLagSeconds: new Gauge({
      name: 'lianjian_web_replica_lag_seconds',
      help: 'Age of the read replica behind the primary (0 when caught up; -1 when unreadable)',
      registers: [registry],
    }),
    replicaLagBytes: new Gauge({
      name: 'lianjian_web_replica_lag_bytes',
      help: 'WAL bytes the read replica has not replayed (-1 when unreadable)',
      registers: [registry],
    }),
  };
  g[KEY] = metrics;
  return metrics;
}
