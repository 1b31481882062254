import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, type Registry } from 'prom-client';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` in Prometheus text format on `port` (all interfaces: Prometheus usually
 * scrapes from another host; firewall the port, see docs/operations.md). Process metrics (CPU,
 * memory, event-loop lag) are added with the `lianjian_worker_` prefix.
 */
const withDefaults = new WeakSet<Registry>();

export async function startMetricsServer(p: { port: number; registry: Registry }): Promise<MetricsServer> {
  // Once per registry: a second worker set in one process (tests) must not register them twice.
  if (!withDefaults.has(p.registry)) {
    collectDefaultMetrics({ register: p.registry, prefix: 'lianjian_worker_' });
    withDefaults.add(p.registry);
  }
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    p.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': p.registry.contentType }).end(text),
      (e: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(e)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(p.port, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : p.port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
