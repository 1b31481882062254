import { createServer } from 'node:net';
import { startAnvil, type AnvilProcess, type AnvilOptions } from '../../chain/anvil';

/** A free TCP port on loopback, so test files never share an anvil. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startTestAnvil(opts: Partial<AnvilOptions> = {}): Promise<AnvilProcess> {
  return startAnvil({ port: await freePort(), ...opts });
}

/** Raw JSON-RPC call for anvil's test methods (evm_snapshot, anvil_reorg, …). */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
