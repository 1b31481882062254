import { createServer, type Server } from 'node:http';
import type { Rng } from '../../chain/simulate/prng';
import { freePort } from './anvil';

/** What the proxy does to one HTTP request. */
export type RpcFault = 'pass' | '503' | 'stall' | 'hold';

export interface FlakyRpcSettings {
  /** Faults on at all (off during a catch-up phase). */
  enabled: boolean;
  /** Share of requests answered 503 without reaching the node. */
  p503: number;
  /** Share of requests held `stallMs` before they are forwarded. */
  pStall: number;
  stallMs: number;
}

export interface FlakyRpc {
  url: string;
  settings: FlakyRpcSettings;
  counts: { requests: number; failed503: number; stalled: number; held: number; abandoned: number };
  /**
   * From now until the returned function is called, every request whose body matches `predicate`
   * gets `fault`, whatever the dice say: 'hold' = never answered (the node never answers this call,
   * the client's timeout or hedge must deal with it), '503', or 'stall'.
   */
  faultWhere(predicate: (body: string) => boolean, fault: Exclude<RpcFault, 'pass'>): () => void;
  /** Replaces the dice (a new run, a new seed). */
  reseed(rng: Rng): void;
  close(): Promise<void>;
}

/**
 * The workers' JSON-RPC endpoint on a flaky node: a seeded share of requests answered 503, another
 * share stalled, chosen by `rng` (the test prints its seed), never by Math.random. A request whose
 * client closed the connection before the answer is counted as `abandoned`: that is how a test sees
 * that a hedged reader gave up on a stalled call instead of waiting for it. Only the workers use
 * this URL; the traffic sender and the checks talk to anvil directly.
 */
export async function startFlakyRpc(
  upstream: string,
  initialRng: Rng,
  settings: FlakyRpcSettings,
): Promise<FlakyRpc> {
  let rng = initialRng;
  const counts = { requests: 0, failed503: 0, stalled: 0, held: 0, abandoned: 0 };
  const rules = new Set<{ match: (body: string) => boolean; fault: Exclude<RpcFault, 'pass'> }>();
  const decide = (body: string): RpcFault => {
    for (const r of rules) if (r.match(body)) return r.fault;
    if (!settings.enabled) return 'pass';
    // Two draws per request whatever the outcome, so one seed gives one fault sequence.
    const a = rng.next();
    const b = rng.next();
    if (a < settings.p503) return '503';
    if (b < settings.pStall) return 'stall';
    return 'pass';
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString();
        counts.requests += 1;
        // 'close' before the response finished: the client hung up on this request.
        res.once('close', () => {
          if (!res.writableFinished) counts.abandoned += 1;
        });
        const fault = decide(body);
        if (fault === 'hold') {
          counts.held += 1;
          return;
        }
        if (fault === '503') {
          counts.failed503 += 1;
          res.writeHead(503, { 'content-type': 'text/plain' }).end('injected fault');
          return;
        }
        if (fault === 'stall') {
          counts.stalled += 1;
          await new Promise((r) => setTimeout(r, settings.stallMs));
          if (req.socket.destroyed) return;
        }
        const up = await fetch(upstream, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const text = await up.text();
        if (req.socket.destroyed) return;
        res
          .writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' })
          .end(text);
      })().catch((e: unknown) => {
        if (!res.headersSent && !req.socket.destroyed) res.writeHead(502).end(String(e));
      });
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    settings,
    counts,
    reseed(next) {
      rng = next;
    },
    faultWhere(match, fault) {
      const rule = { match, fault };
      rules.add(rule);
      return () => rules.delete(rule);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
