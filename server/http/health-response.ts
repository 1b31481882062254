import type { HealthReport } from '../health/check';

/** DESIGN §8: 200 when ok or degraded, 503 when down; never cached. */
export function healthResponse(report: HealthReport): Response {
  return Response.json(report, {
    status: report.status === 'down' ? 503 : 200,
    headers: { 'cache-control': 'no-store' },
  });
}
