import { createServer, type Server } from 'node:http';
import { freePort } from './anvil';
import { startRpcProxy } from './rpc-proxy';

/** Which RPC faults are on; the test turns them off for the catch-up phase. */
export interface RpcChaosSwitch {
  enabled: boolean;
  /** Every n-th call (counted at the fault layer) answers HTTP 503. */
  failEvery: number;
  /** Every n-th call is held 2–5 s before it is forwarded. */
  stallEvery: number;
}

export interface ChaosRpc {
  url: string;
  faults: RpcChaosSwitch;
  counts: { calls: number; failed503: number; stalled: number };
  close(): Promise<void>;
}

/**
 * The workers' JSON-RPC endpoint under chaos: a stalling layer in front of `startRpcProxy`, which
 * answers 503 to some calls. Faults follow call counters, not Math.random, so a failing run can be
 * read back. Only workers use this URL; the traffic sender and the checks talk to anvil directly.
 */
export async function startChaosRpc(upstream: string, faults: RpcChaosSwitch): Promise<ChaosRpc> {
  const counts = { calls: 0, failed503: 0, stalled: 0 };
  const failing = await startRpcProxy(upstream, (_call, n) => {
    if (!faults.enabled || n % faults.failEvery !== 0) return null;
    counts.failed503 += 1;
    return { status: 503 };
  });
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        n += 1;
        counts.calls += 1;
        if (faults.enabled && n % faults.stallEvery === 0) {
          counts.stalled += 1;
          // 2–5 s, spread deterministically over the calls.
          await new Promise((r) => setTimeout(r, 2_000 + ((n * 389) % 3_000)));
        }
        const up = await fetch(failing.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        });
        const text = await up.text();
        res
          .writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' })
          .end(text);
      })().catch((e: unknown) => res.writeHead(502).end(String(e)));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    counts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await failing.close();
    },
  };
}
