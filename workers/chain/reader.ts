import { createPublicClient, http, numberToHex, type Address, type Hash, type Hex } from 'viem';
import type { RawLog } from '../events/raw-log';

export interface BlockHeader {
  number: number;
  hash: Hash;
  parentHash: Hash;
  /** unix seconds */
  timestamp: number;
}

interface RpcBlock {
  number: Hex;
  hash: Hash;
  parentHash: Hash;
  timestamp: Hex;
}

/** A node error that splitting the range can cure (result too large, too slow). */
function isRangeTooLarge(e: unknown): boolean {
  const text = `${(e as { details?: string }).details ?? ''} ${(e as Error).message ?? ''}`.toLowerCase();
  return /too many|limit exceeded|more than \d+|response size|query timeout|timed out|took too long|exceed/.test(
    text,
  );
}

/** HTTP statuses of a node or proxy that is briefly unwell (rate limit, restart, overload). */
const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

function isTransientHttp(e: unknown): boolean {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const status = (c as { status?: unknown }).status;
    if (typeof status === 'number') return TRANSIENT_STATUS.has(status);
  }
  return false;
}

/** Pause before the one quick retry of a transient HTTP failure. */
const TRANSIENT_RETRY_MS = 50;

export interface ChainReader {
  getChainId(): Promise<number>;
  getHead(): Promise<BlockHeader>;
  getHeaders(numbers: number[]): Promise<Map<number, BlockHeader>>;
  getLogs(fromBlock: number, toBlock: number): Promise<RawLog[]>;
}

export interface ChainReaderOptions {
  rpcUrl: string;
  addresses: Address[];
  topics: Hash[];
  timeoutMs?: number;
  /** Called after every successful call, for the persisted "RPC last success" figure. */
  onSuccess?: () => void;
}

/**
 * The chain as the indexer sees it: raw JSON-RPC through viem's HTTP transport with JSON-RPC
 * batching (headers of a sparse range come in one request). Retries belong to the job, which backs
 * off and is visible in the queue — except one quick retry of a call answered with a transient
 * HTTP status: a job retry repeats every call of its range, so against a node whose failures
 * follow a fixed pattern (every third request, say) the same job could otherwise fail forever.
 */
export function createChainReader(opts: ChainReaderOptions): ChainReader {
  const client = createPublicClient({
    transport: http(opts.rpcUrl, {
      batch: { batchSize: 200, wait: 0 },
      retryCount: 0,
      timeout: opts.timeoutMs ?? 30_000,
      // Ranges split on a too-large answer, but one busy block can exceed viem's 10 MB default on
      // its own (20,000 logs); a block cannot be split, so the ceiling is raised well above that.
      maxResponseBodySize: 256 * 1024 * 1024,
    }),
  });
  const request = async (args: { method: string; params?: unknown[] }): Promise<unknown> => {
    const call = () => client.request(args as Parameters<typeof client.request>[0]);
    try {
      return await call();
    } catch (e) {
      if (!isTransientHttp(e)) throw e;
      await new Promise((r) => setTimeout(r, TRANSIENT_RETRY_MS));
      return call();
    }
  };
  const ok = <T>(v: T): T => {
    opts.onSuccess?.();
    return v;
  };
  const toHeader = (b: RpcBlock | null, n: number | string): BlockHeader => {
    if (!b || typeof b.hash !== 'string' || typeof b.parentHash !== 'string') {
      throw new Error(`node returned no header for block ${n}`);
    }
    return {
      number: Number(b.number),
      hash: b.hash.toLowerCase() as Hash,
      parentHash: b.parentHash.toLowerCase() as Hash,
      timestamp: Number(b.timestamp),
    };
  };

  async function getLogsSplit(from: number, to: number): Promise<RawLog[]> {
    try {
      const logs = (await request({
        method: 'eth_getLogs',
        params: [
          {
            fromBlock: numberToHex(from),
            toBlock: numberToHex(to),
            address: opts.addresses,
            topics: [opts.topics],
          },
        ],
      })) as RawLog[];
      if (!Array.isArray(logs)) throw new Error(`eth_getLogs ${from}-${to} returned no array`);
      return ok(logs);
    } catch (e) {
      if (from < to && isRangeTooLarge(e)) {
        const mid = Math.floor((from + to) / 2);
        return [...(await getLogsSplit(from, mid)), ...(await getLogsSplit(mid + 1, to))];
      }
      throw e;
    }
  }

  return {
    async getChainId() {
      return ok(await client.getChainId());
    },
    async getHead() {
      const b = await request({
        method: 'eth_getBlockByNumber',
        params: ['latest', false],
      });
      return ok(toHeader(b as RpcBlock, 'latest'));
    },
    async getHeaders(numbers) {
      const unique = [...new Set(numbers)];
      const blocks = await Promise.all(
        unique.map(
          (n) =>
            request({
              method: 'eth_getBlockByNumber',
              params: [numberToHex(n), false],
            }) as Promise<RpcBlock | null>,
        ),
      );
      const out = new Map<number, BlockHeader>();
      blocks.forEach((b, i) => {
        const h = toHeader(b, unique[i]!);
        if (h.number !== unique[i]) throw new Error(`node answered block ${h.number} for ${unique[i]}`);
        out.set(h.number, h);
      });
      return ok(out);
    },
    getLogs: getLogsSplit,
  };
}
