import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnvilProcess } from '../../chain/anvil';
import { createRng } from '../../chain/simulate/prng';
import { CONTRACT_NAMES, EVENT_NAMES } from '../../domain/events';
import { createChainReader, type ChainReader } from '../../workers/chain/reader';
import { EVENT_TOPICS } from '../../workers/events/topics';
import { rpc, startTestAnvil } from '../helpers/anvil';
import { startFlakyRpc, type FlakyRpc } from '../helpers/flaky-rpc';
import { startRpcProxy } from '../helpers/rpc-proxy';
import { basicScenario, createScenario, type Scenario } from '../helpers/scenario';
import { waitFor } from '../helpers/wait';

let anvil: AnvilProcess;
let scenario: Scenario;
let proxy: FlakyRpc;

beforeAll(async () => {
  anvil = await startTestAnvil();
  scenario = await createScenario(
    anvil.url,
    join(mkdtempSync(join(tmpdir(), 'lj-hedge-')), 'deployment.json'),
  );
  await basicScenario(scenario);
  // No random faults here: each case injects exactly the fault it is about.
  proxy = await startFlakyRpc(anvil.url, createRng('hedge'), {
    enabled: false,
    p503: 0,
    pStall: 0,
    stallMs: 0,
  });
});

afterAll(async () => {
  await proxy?.close();
  await anvil?.stop();
});

/**
 * A reader through the proxy; a short fixed hedge delay, bounds far above it. Two requests at most
 * unless told: on a loaded machine the second may be slow too, and a third would make the request
 * count depend on timing.
 */
function reader(o: { shortTimeoutMs?: number; maxAttempts?: number; url?: string } = {}): ChainReader {
  return createChainReader({
    rpcUrl: o.url ?? proxy.url,
    addresses: CONTRACT_NAMES.map((n) => scenario.deployment.contracts[n].address),
    topics: EVENT_NAMES.map((n) => EVENT_TOPICS[n]),
    hedge: { minDelayMs: 50, maxDelayMs: 50, maxAttempts: o.maxAttempts ?? 2 },
    shortTimeoutMs: o.shortTimeoutMs ?? 20_000,
    timeoutMs: 20_000,
  });
}

/** Matches the first request whose body contains `needle`, and only that one. */
function firstWith(needle: string): (body: string) => boolean {
  let taken = false;
  return (body) => {
    if (taken || !body.includes(needle)) return false;
    taken = true;
    return true;
  };
}

function snapshot() {
  return { ...proxy.counts };
}

const delta = (before: FlakyRpc['counts']) => ({
  requests: proxy.counts.requests - before.requests,
  held: proxy.counts.held - before.held,
  failed503: proxy.counts.failed503 - before.failed503,
  abandoned: proxy.counts.abandoned - before.abandoned,
});

describe('chain reader on a node that stalls or fails a call', () => {
  it('a head request the node never answers: the hedged request answers, the stalled one is abandoned', async () => {
    const r = reader();
    const before = snapshot();
    const release = proxy.faultWhere(firstWith('"latest"'), 'hold');
    try {
      const head = await r.getHead();
      const want = await rpc<{ number: string; hash: string }>(anvil.url, 'eth_getBlockByNumber', [
        'latest',
        false,
      ]);
      expect(head.number).toBe(Number(want.number));
      expect(head.hash).toBe(want.hash);
      // The reader closed the held request's connection once the answer came: nobody waits for it.
      await waitFor('the held request abandoned', () =>
        Promise.resolve(proxy.counts.abandoned > before.abandoned),
      );
      expect(delta(before)).toEqual({ requests: 2, held: 1, failed503: 0, abandoned: 1 });
    } finally {
      release();
    }
  });

  it('eth_getLogs never answered: every log arrives through the second request', async () => {
    const r = reader();
    const head = Number(await rpc<string>(anvil.url, 'eth_blockNumber'));
    // Straight from the node: no request of this read may reach the proxy's counts.
    const direct = await reader({ url: anvil.url }).getLogs(0, head);
    expect(direct).toHaveLength(16);
    const before = snapshot();
    const release = proxy.faultWhere(firstWith('eth_getLogs'), 'hold');
    try {
      const logs = await r.getLogs(0, head);
      expect(logs).toEqual(direct);
      await waitFor('the held request abandoned', () =>
        Promise.resolve(proxy.counts.abandoned > before.abandoned),
      );
      expect(delta(before)).toEqual({ requests: 2, held: 1, failed503: 0, abandoned: 1 });
    } finally {
      release();
    }
  });

  it('a 503 is sent again at once, without waiting for the hedge delay or failing the call', async () => {
    // A hedge delay far beyond the test's patience: only the failure itself can start the second request.
    const r = createChainReader({
      rpcUrl: proxy.url,
      addresses: [],
      topics: [],
      hedge: { minDelayMs: 600_000, maxDelayMs: 600_000 },
    });
    const before = snapshot();
    const release = proxy.faultWhere(firstWith('eth_chainId'), '503');
    try {
      expect(await r.getChainId()).toBe(scenario.deployment.chainId);
      expect(delta(before)).toEqual({ requests: 2, held: 0, failed503: 1, abandoned: 0 });
    } finally {
      release();
    }
  });

  it('when every attempt stalls, the call fails at its bound with every request abandoned', async () => {
    // Three requests, hedged 50 ms apart, long before the bound: their count does not depend on load.
    const r = reader({ shortTimeoutMs: 10_000, maxAttempts: 3 });
    const before = snapshot();
    const release = proxy.faultWhere((body) => body.includes('"latest"'), 'hold');
    try {
      await expect(r.getHead()).rejects.toThrow(/took too long/);
      await waitFor('all three abandoned', () =>
        Promise.resolve(proxy.counts.abandoned - before.abandoned >= 3),
      );
      expect(delta(before)).toEqual({ requests: 3, held: 3, failed503: 0, abandoned: 3 });
    } finally {
      release();
    }
  });
});

describe('chain reader on a node that refuses or garbles eth_getLogs', () => {
  const logsOf = (r: ChainReader, head: number) => r.getLogs(0, head);
  const refs = (logs: { blockNumber: string; logIndex: string }[]) =>
    logs.map((l) => `${Number(l.blockNumber)}:${Number(l.logIndex)}`);

  it('a range the node finds too large is asked for in halves: every log once, in order', async () => {
    const head = Number(await rpc<string>(anvil.url, 'eth_blockNumber'));
    const whole = await logsOf(reader({ url: anvil.url }), head);
    expect(whole.length).toBeGreaterThan(10);
    // Like a node with a result cap: more than four blocks at once is refused.
    const spans: number[] = [];
    const node = await startRpcProxy(anvil.url, (call) => {
      if (call.method !== 'eth_getLogs') return null;
      const q = call.params[0] as { fromBlock: string; toBlock: string };
      const span = Number(q.toBlock) - Number(q.fromBlock) + 1;
      spans.push(span);
      if (span <= 4) return null;
      return {
        rewrite: () => ({
          jsonrpc: '2.0',
          id: call.id,
          error: { code: -32005, message: 'query returned more than 10000 results' },
        }),
      };
    });
    try {
      const split = await logsOf(reader({ url: node.url }), head);
      expect(refs(split)).toEqual(refs(whole));
      expect(split).toEqual(whole);
      expect(spans[0]).toBe(head + 1);
      expect(Math.max(...spans.filter((s) => s <= 4))).toBeLessThanOrEqual(4);
    } finally {
      await node.close();
    }
  });

  it('any other node error, or an answer that is no list of logs, fails the call saying so', async () => {
    const head = Number(await rpc<string>(anvil.url, 'eth_blockNumber'));
    const refusing = await startRpcProxy(anvil.url, (call) =>
      call.method === 'eth_getLogs'
        ? {
            rewrite: () => ({
              jsonrpc: '2.0',
              id: call.id,
              error: { code: -32000, message: 'header not found' },
            }),
          }
        : null,
    );
    const garbling = await startRpcProxy(anvil.url, (call) =>
      call.method === 'eth_getLogs' ? { rewrite: () => '<html>bad gateway</html>' } : null,
    );
    try {
      await expect(logsOf(reader({ url: refusing.url }), head)).rejects.toThrow(
        `eth_getLogs 0-${head}: node error -32000: header not found`,
      );
      // A JSON string where the reply object belongs: no result, no error.
      await expect(logsOf(reader({ url: garbling.url }), head)).rejects.toThrow(
        `eth_getLogs 0-${head} returned no array`,
      );
    } finally {
      await refusing.close();
      await garbling.close();
    }
  });
});
