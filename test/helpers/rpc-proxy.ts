import { createServer, type Server } from 'node:http';
import { freePort } from './anvil';

export interface JsonRpcCall {
  method: string;
  params: unknown[];
  id: unknown;
}

/**
 * A JSON-RPC proxy in front of anvil for fault injection: `decide` may answer a call itself
 * (an HTTP status or a rewritten body) instead of forwarding it. Batches are judged per request.
 */
export async function startRpcProxy(
  upstream: string,
  decide: (
    call: JsonRpcCall,
    n: number,
  ) => { status: number } | { rewrite: (body: unknown) => unknown } | null,
): Promise<{ url: string; calls: () => number; close(): Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString();
        const body = JSON.parse(raw) as JsonRpcCall | JsonRpcCall[];
        const first = Array.isArray(body) ? body[0] : body;
        n += 1;
        const verdict = first ? decide(first, n) : null;
        if (verdict && 'status' in verdict) {
          res.writeHead(verdict.status, { 'content-type': 'text/plain' }).end('injected fault');
          return;
        }
        const up = await fetch(upstream, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: raw,
        });
        let text = await up.text();
        if (verdict && 'rewrite' in verdict) text = JSON.stringify(verdict.rewrite(JSON.parse(text)));
        res.writeHead(up.status, { 'content-type': 'application/json' }).end(text);
      })().catch((e: unknown) => res.writeHead(502).end(String(e)));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => n,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
