import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHedgedRead } from '../../workers/chain/hedged-fetch';

/**
 * createHedgedRead sends eth_getLogs over node:http and reads the answer whole. A local server
 * answers as a node or a proxy might: in many small chunks, too much, or cut off half-way. The
 * hedge delay is far beyond the test's patience, so only a failed attempt can start another.
 */
const NEVER_HEDGE = { minDelayMs: 600_000, maxDelayMs: 600_000, maxAttempts: 3 };

let server: http.Server | null = null;

/** A server whose n-th request (from 1) is answered by `answer`; returns its url and the request bodies seen. */
async function serve(
  answer: (n: number, res: http.ServerResponse) => void,
): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(body);
      answer(bodies.length, res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = null;
});

const request = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1}' };

describe('createHedgedRead', () => {
  it('reads an answer sent in many chunks byte for byte, with its status', async () => {
    const text = JSON.stringify({ result: Array.from({ length: 5_000 }, (_, i) => `0x${i.toString(16)}`) });
    const { url, bodies } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < text.length; i += 1_000) res.write(text.slice(i, i + 1_000));
      res.end();
    });
    const answer = await createHedgedRead(NEVER_HEDGE)(url, request);
    expect(answer.status).toBe(200);
    expect(answer.body.toString('latin1')).toBe(text);
    expect(bodies).toEqual(['{"id":1}']);
  });

  it('an answer larger than its bound fails the call, naming the bound', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(200);
      res.end('x'.repeat(10_000));
    });
    await expect(
      createHedgedRead({ ...NEVER_HEDGE, maxAttempts: 1, maxBytes: 4_096 })(url, request),
    ).rejects.toThrow('answer exceeds 4096 bytes (the response size limit)');
  });

  it('an answer cut off half-way is asked for again at once, and the whole second answer is what the call gives', async () => {
    const { url, bodies } = await serve((n, res) => {
      res.writeHead(200, { 'content-length': '6' });
      if (n === 1) {
        res.write('abc');
        res.socket?.destroy();
      } else res.end('abcdef');
    });
    const answer = await createHedgedRead(NEVER_HEDGE)(url, request);
    expect(answer.body.toString()).toBe('abcdef');
    expect(bodies).toHaveLength(2);
  });

  it('a 503 answer is asked for again; when every attempt gets one, the call gives the last', async () => {
    const { url, bodies } = await serve((n, res) => {
      res.writeHead(503);
      res.end(`busy ${n}`);
    });
    const answer = await createHedgedRead(NEVER_HEDGE)(url, request);
    expect(answer.status).toBe(503);
    expect(answer.body.toString()).toBe('busy 3');
    expect(bodies).toHaveLength(3);
  });

  it('a caller that gives up aborts the call, whatever the server still does', async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const gaveUp = new AbortController();
    const call = createHedgedRead(NEVER_HEDGE)(url, { ...request, signal: gaveUp.signal });
    gaveUp.abort(new Error('caller gave up'));
    await expect(call).rejects.toThrow('caller gave up');
  });
});
