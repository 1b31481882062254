import http from 'node:http';
import https from 'node:https';

/**
 * A `fetch` for viem's HTTP transport that does not wait on one slow or failed request.
 *
 * A node behind a flaky proxy answers most calls in milliseconds but stalls a few for seconds, and
 * answers some with 503. Waiting for a stalled call (or retrying only after a long timeout) puts
 * its whole stall into the live latency. So, as in "The Tail at Scale": if a request has not
 * answered after the hedge delay, the same request is sent again, and whichever answers first wins;
 * the loser is aborted (its connection closed), never awaited. A transient failure (429/5xx, a
 * dropped connection) starts the next attempt at once instead of waiting for the hedge delay.
 *
 * The hedge delay follows the node's own speed: twice the 95th percentile of recent successful
 * attempts, kept between `minDelayMs` and `maxDelayMs`. On the live path (small calls answered in
 * milliseconds) a stall is cut short after `minDelayMs`; a backfill whose large eth_getLogs
 * legitimately take a second does not send every request twice. A stalled or failed attempt never
 * enters the figure (only winners do), so stalls cannot raise the delay.
 * JSON-RPC reads are idempotent, so a duplicate request is harmless.
 */

export interface HedgeOptions {
  /** Never hedge sooner than this (ms): a fast node's jitter is not a stall. */
  minDelayMs?: number;
  /** Hedge at the latest after this (ms), however slow recent answers were (and before 8 answers). */
  maxDelayMs?: number;
  /** Requests sent at most for one call, the first included. */
  maxAttempts?: number;
}

/** HTTP statuses of a node or proxy that is briefly unwell (rate limit, restart, overload). */
export const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);

/** The last successful attempts' durations, for the hedge delay. */
const WINDOW = 64;

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

interface Settled<T> {
  attempt: number;
  response?: T;
  error?: unknown;
}

export function createHedgedFetch(opts: HedgeOptions = {}, base: Fetch = fetch): Fetch {
  return hedged(opts, (input: string | URL | Request, init: RequestInit) =>
    base(input, init).then(bufferedResponse),
  );
}

/** An answer read whole: its status and its body's bytes. */
export interface ReadAnswer {
  status: number;
  body: Buffer;
}

/** A request as createHedgedRead sends it: a POST of a JSON-RPC body. */
export interface ReadRequest {
  method?: string;
  headers?: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

/**
 * createHedgedFetch for a caller that wants the body's bytes, not a Response to read again: an
 * eth_getLogs answer of megabytes went through a second stream and a text decoder chunk by chunk
 * before its JSON.parse (≈ 1.5 s of 40 at 1M dense events, profiled). Sent with node:http rather
 * than fetch, whose web streams cost a promise and a wrapper per 64 KB chunk: reading the dense
 * 200k chain's answers three times over (534 MB) took 1.7–2.7 s of CPU through fetch, 0.8–1.0 s
 * this way (docs/performance.md, 2026-12-05). `maxBytes` bounds a body.
 */
export function createHedgedRead(
  opts: HedgeOptions & { maxBytes?: number } = {},
): (input: string, init: ReadRequest) => Promise<ReadAnswer> {
  const maxBytes = opts.maxBytes ?? Infinity;
  return hedged(opts, (input: string, init: ReadRequest) => postForBytes(input, init, maxBytes));
}

/**
 * How each protocol's requests are sent, on connections kept open between them as fetch keeps them:
 * a backfill sends thousands.
 */
const transports = {
  'http:': { request: http.request, agent: new http.Agent({ keepAlive: true }) },
  'https:': { request: https.request, agent: new https.Agent({ keepAlive: true }) },
};

/** One request, its answer read whole; more than `maxBytes` of body fails it. */
function postForBytes(input: string, init: ReadRequest, maxBytes: number): Promise<ReadAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(input);
    const transport = transports[url.protocol as keyof typeof transports];
    if (!transport) {
      reject(new Error(`unsupported protocol ${url.protocol}`));
      return;
    }
    const body = Buffer.from(init.body);
    const req = transport.request(
      url,
      {
        method: init.method ?? 'POST',
        headers: { ...init.headers, 'content-length': String(body.length) },
        agent: transport.agent,
        signal: init.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            // The connection goes with the rest of the answer; the call fails once, here.
            reject(new Error(`answer exceeds ${maxBytes} bytes (the response size limit)`));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks, size) }));
        // A connection closed before the answer's end (Node says "aborted").
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Hedges `attempt`: each attempt gets a signal of its own, aborted when another wins. `attempt`
 * reads the body too, so that a response that stalls after its headers is a stall.
 */
function hedged<I, R extends { signal?: AbortSignal | null }, T extends { status: number }>(
  opts: HedgeOptions,
  attempt: (input: I, init: R) => Promise<T>,
): (input: I, init?: R) => Promise<T> {
  const minDelay = opts.minDelayMs ?? 150;
  const maxDelay = opts.maxDelayMs ?? 2_000;
  const firstDelay = Math.min(maxDelay, Math.max(minDelay, 500));
  const maxAttempts = opts.maxAttempts ?? 3;
  const recent: number[] = [];
  const hedgeDelay = (): number => {
    if (recent.length < 8) return firstDelay;
    const sorted = [...recent].sort((a, b) => a - b);
    const p95 = sorted[Math.ceil(sorted.length * 0.95) - 1]!;
    return Math.min(maxDelay, Math.max(minDelay, 2 * p95));
  };
  const observe = (ms: number) => {
    recent.push(ms);
    if (recent.length > WINDOW) recent.shift();
  };

  return (input, init = {} as R) =>
    new Promise<T>((resolve, reject) => {
      const outer = init.signal ?? undefined;
      const controllers: AbortController[] = [];
      let inFlight = 0;
      let done = false;
      let lastFailure: Settled<T> | null = null;
      let timer: NodeJS.Timeout | undefined;

      const finish = (winner: Settled<T>) => {
        done = true;
        clearTimeout(timer);
        outer?.removeEventListener('abort', onOuterAbort);
        // The losers are abandoned: their connections close, nothing waits for them.
        controllers.forEach((c, i) => {
          if (i + 1 !== winner.attempt) c.abort();
        });
        if (winner.response) resolve(winner.response);
        else reject(winner.error instanceof Error ? winner.error : new Error(String(winner.error)));
      };
      // viem's own timeout (or the caller) gave up: every attempt goes with it.
      const onOuterAbort = () => {
        if (done) return;
        finish({ attempt: 0, error: outer?.reason ?? new Error('aborted') });
      };
      outer?.addEventListener('abort', onOuterAbort, { once: true });

      const launch = () => {
        if (done || controllers.length >= maxAttempts) return;
        const controller = new AbortController();
        controllers.push(controller);
        const n = controllers.length;
        inFlight += 1;
        const started = performance.now();
        clearTimeout(timer);
        if (controllers.length < maxAttempts) timer = setTimeout(launch, hedgeDelay());
        attempt(input, { ...init, signal: controller.signal }).then(
          (response) => settle({ attempt: n, response }, started),
          (error: unknown) => settle({ attempt: n, error }, started),
        );
      };

      const settle = (s: Settled<T>, started: number) => {
        inFlight -= 1;
        if (done) return;
        const transient = s.response ? TRANSIENT_STATUS.has(s.response.status) : true;
        if (!transient) {
          observe(performance.now() - started);
          finish(s);
          return;
        }
        lastFailure = s;
        // Another attempt may still answer; if none is in flight, the next one goes now.
        if (inFlight > 0) return;
        if (controllers.length < maxAttempts) launch();
        else finish(lastFailure);
      };

      if (outer?.aborted) onOuterAbort();
      else launch();
    });
}

/**
 * The response with its body read to the end, replayed in the chunks it arrived in. Not one
 * `arrayBuffer()`: viem decodes the body as a stream, and a stream of one chunk of many megabytes
 * decodes about six times slower than the same bytes in the network's 64 KB chunks (and the
 * joined copy doubled the garbage of every large eth_getLogs during a backfill).
 */
async function bufferedResponse(r: Response): Promise<Response> {
  const chunks: Uint8Array[] = [];
  if (r.body) {
    const reader = r.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, { status: r.status, statusText: r.statusText, headers: r.headers });
}
