import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../workers/alerts/sign';
import type { AlertPayload } from '../../workers/alerts/payload';
import { startWorkers } from '../../workers/queues/start-workers';
import { freePort } from '../helpers/anvil';
import { createIndexerHarness, type IndexerHarness } from '../helpers/indexer';
import { basicScenario, id } from '../helpers/scenario';
import { waitFor } from '../helpers/wait';

const SECRET = 'test-webhook-secret-0123456789';
let h: IndexerHarness;
let server: Server;
let url: string;
const received: { payload: AlertPayload; signatureOk: boolean; delivery: string }[] = [];
let calls = 0;

beforeAll(async () => {
  h = await createIndexerHarness();
  const port = await freePort();
  url = `http://127.0.0.1:${port}/hook`;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      calls += 1;
      // The receiver is down for the first two calls: the delivery must be retried.
      if (calls <= 2) return void res.writeHead(500).end('down');
      const ts = Number(req.headers['x-lianjian-timestamp']);
      received.push({
        payload: JSON.parse(body) as AlertPayload,
        signatureOk: verifyWebhook(SECRET, ts, body, String(req.headers['x-lianjian-signature'])),
        delivery: String(req.headers['x-lianjian-delivery']),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await h.close();
});

describe('webhook alerts', () => {
  it('posts each new high-severity incident once, HMAC-signed, retrying while the receiver fails', async () => {
    const running = await startWorkers({
      env: h.env({ ALERT_WEBHOOK_URL: url, ALERT_WEBHOOK_SECRET: SECRET }),
      concurrency: 2,
      headEveryMs: 100,
    });
    try {
      const w = await basicScenario(h.scenario); // ACCESS_WITHOUT_GRANT, DUPLICATE_REIMBURSEMENT (high) + a medium one
      await h.scenario.reimburse(id('never-issued'), w.tax, 5n); // UNKNOWN_INVOICE_REIMBURSED (high)
      const high = await waitFor(
        'three high incidents',
        async () => {
          const { rows } = await h.db.pool.query<{ id: number }>(
            "SELECT id FROM incidents WHERE severity = 'high'",
          );
          return rows.length === 3 ? rows : null;
        },
        30_000,
      );
      await waitFor(
        'all delivered',
        async () => {
          const { rows } = await h.db.pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM alert_deliveries WHERE status = 'delivered'",
          );
          return rows[0]!.n === 3;
        },
        60_000,
      );
      await new Promise((r) => setTimeout(r, 2500)); // a further planning round must send nothing more
      expect(received.map((r) => r.payload.incident.id).sort()).toEqual(high.map((r) => r.id).sort());
      expect(new Set(received.map((r) => r.delivery)).size).toBe(3);
      expect(received.every((r) => r.signatureOk)).toBe(true);
      expect(received.map((r) => r.payload.incident.rule).sort()).toEqual([
        'ACCESS_WITHOUT_GRANT',
        'DUPLICATE_REIMBURSEMENT',
        'UNKNOWN_INVOICE_REIMBURSED',
      ]);
      expect(received.every((r) => r.payload.incident.evidence.length > 0)).toBe(true);
      const { rows } = await h.db.pool.query<{ attempts: number }>('SELECT attempts FROM alert_deliveries');
      expect(rows.reduce((a, r) => a + r.attempts, 0)).toBe(3 + 2);
    } finally {
      await running.close();
    }
  });
});
