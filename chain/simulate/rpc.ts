/** Minimal JSON-RPC over fetch for anvil's methods and batched sends (viem has no batch send). */
export interface RpcClient {
  call<T>(method: string, params?: unknown[]): Promise<T>;
  batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]>;
}

interface RpcReply {
  id: number;
  result?: unknown;
  error?: { message: string };
}

export function createRpc(url: string): RpcClient {
  let id = 0;
  async function post(body: unknown): Promise<unknown> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`RPC ${url} answered HTTP ${res.status}`);
    return res.json();
  }
  return {
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const r = (await post({ jsonrpc: '2.0', id: ++id, method, params })) as RpcReply;
      if (r.error) throw new Error(`${method}: ${r.error.message}`);
      return r.result as T;
    },
    async batch<T>(calls: { method: string; params: unknown[] }[]): Promise<T[]> {
      if (calls.length === 0) return [];
      const first = id + 1;
      const body = calls.map((c) => ({ jsonrpc: '2.0', id: ++id, method: c.method, params: c.params }));
      const replies = (await post(body)) as RpcReply[];
      const out: T[] = new Array<T>(calls.length);
      for (const r of replies) {
        if (r.error) throw new Error(`${calls[r.id - first]?.method ?? 'batch'}: ${r.error.message}`);
        out[r.id - first] = r.result as T;
      }
      return out;
    },
  };
}

export const hex = (n: number | bigint) => `0x${n.toString(16)}`;
