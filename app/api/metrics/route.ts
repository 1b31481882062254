import { authenticateRequest } from '../../../server/runtime';
import { getDb, getReadDb, hasReadReplica } from '../../../server/db';
import { readReplicaLag } from '../../../server/health/replica-lag';
import { webMetrics } from '../../../server/metrics/web-metrics';

/**
 * GET /api/metrics — the web process's Prometheus metrics (tRPC request durations, process
 * figures). Not public: Prometheus sends `Authorization: Bearer <token>` of a user allowed to read
 * chain health (see docs/operations.md). The workers serve their own /metrics on METRICS_PORT.
 */
export async function GET(req: Request): Promise<Response> {
  const a = await authenticateRequest(req, 'chain:read');
  if (!a.ok) return a.response;
  const { registry, replicaLagSeconds, replicaLagBytes } = webMetrics();
  if (hasReadReplica()) {
    const lag = await readReplicaLag(getDb(), getReadDb()).catch(() => null);
    replicaLagSeconds.set(lag?.lagSeconds ?? -1);
    replicaLagBytes.set(lag?.lagBytes ?? -1);
  }
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}
