import type { Queue } from 'bullmq';
import type pg from 'pg';
import { buildAlertPayload } from './payload';
import { signWebhook } from './sign';

/** Only incidents whose event happened this recently are "new": a backfill of history alerts nobody. */
export const ALERT_FRESHNESS = '1 hour';

export interface AlertJobData {
  incidentId: number;
}

/**
 * Records a pending delivery for every fresh high-severity incident that has none and enqueues
 * one job each (job id `alert-<incident>`, so a second planner adds nothing).
 */
export async function planAlerts(pool: pg.Pool, queue: Queue<AlertJobData>): Promise<number> {
  const { rows } = await pool.query<{ incident_id: number }>(
    `INSERT INTO alert_deliveries (incident_id)
     SELECT i.id FROM incidents i
     WHERE i.severity = 'high' AND i.occurred_at > now() - interval '${ALERT_FRESHNESS}'
       AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.incident_id = i.id)
     ON CONFLICT DO NOTHING
     RETURNING incident_id`,
  );
  // Pending rows whose job was lost (an emptied Redis) are enqueued again; the job id dedups.
  const pending = await pool.query<{ incident_id: number }>(
    "SELECT incident_id FROM alert_deliveries WHERE status = 'pending' ORDER BY incident_id LIMIT 500",
  );
  for (const r of pending.rows) {
    await queue.add('alert', { incidentId: r.incident_id }, { jobId: `alert-${r.incident_id}` });
  }
  return rows.length;
}

/** POSTs one alert; any answer but 2xx throws, and BullMQ retries with backoff. */
export async function deliverAlert(
  pool: pg.Pool,
  p: { url: string; secret: string; incidentId: number; timeoutMs?: number },
): Promise<'delivered' | 'gone'> {
  const payload = await buildAlertPayload(pool, p.incidentId);
  if (!payload) return 'gone'; // rolled back by a reorg after it was planned
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  await pool.query('UPDATE alert_deliveries SET attempts = attempts + 1 WHERE incident_id = $1', [
    p.incidentId,
  ]);
  let res: Response;
  try {
    res = await fetch(p.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-lianjian-event': payload.event,
        'x-lianjian-timestamp': String(timestamp),
        'x-lianjian-signature': signWebhook(p.secret, timestamp, body),
        'x-lianjian-delivery': `alert-${p.incidentId}`,
      },
      body,
      signal: AbortSignal.timeout(p.timeoutMs ?? 10_000),
    });
  } catch (e) {
    await recordError(pool, p.incidentId, (e as Error).message);
    throw e;
  }
  if (res.status < 200 || res.status >= 300) {
    const msg = `webhook answered ${res.status}`;
    await recordError(pool, p.incidentId, msg);
    throw new Error(msg);
  }
  await pool.query(
    "UPDATE alert_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE incident_id = $1",
    [p.incidentId],
  );
  return 'delivered';
}

async function recordError(pool: pg.Pool, incidentId: number, message: string): Promise<void> {
  await pool.query('UPDATE alert_deliveries SET last_error = $2 WHERE incident_id = $1', [
    incidentId,
    message.slice(0, 500),
  ]);
}

export async function markAlertFailed(pool: pg.Pool, incidentId: number): Promise<void> {
  await pool.query("UPDATE alert_deliveries SET status = 'failed' WHERE incident_id = $1", [incidentId]);
}
