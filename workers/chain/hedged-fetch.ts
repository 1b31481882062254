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
  return hedged(opts, base, bufferedResponse);
}

/** An answer read whole: its status, its headers and its body's bytes. */
export interface ReadAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/**
 * createHedgedFetch for a caller that wants the body's bytes, not a Response to read again: an
 * eth_getLogs answer of megabytes went through a second stream and a text decoder chunk by chunk
 * before its JSON.parse (≈ 1.5 s of 40 at 1M dense events, profiled). `maxBytes` bounds a body.
 */
export function createHedgedRead(
  opts: HedgeOptions & { maxBytes?: number } = {},
  base: Fetch = fetch,
): (input: string, init?: RequestInit) => Promise<ReadAnswer> {
  return hedged(opts, base, (r) => bytesOf(r, opts.maxBytes ?? Infinity));
}

function hedged<T extends { status: number }>(
  opts: HedgeOptions,
  base: Fetch,
  read: (r: Response) => Promise<T>,
): (input: string | URL | Request, init?: RequestInit) => Promise<T> {
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

  return (input, init = {}) =>
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
        const attempt = controllers.length;
        inFlight += 1;
        const started = performance.now();
        clearTimeout(timer);
        if (controllers.length < maxAttempts) timer = setTimeout(launch, hedgeDelay());
        // The body is read inside the race too: a response that stalls after its headers is a stall.
        base(input, { ...init, signal: controller.signal })
          .then(read)
          .then(
            (response) => settle({ attempt, response }, started),
            (error: unknown) => settle({ attempt, error }, started),
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

/** The body's bytes, read within the race like bufferedResponse; more than `maxBytes` fails. */
async function bytesOf(r: Response, maxBytes: number): Promise<ReadAnswer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (r.body) {
    const reader = r.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new Error(`answer exceeds ${maxBytes} bytes (the response size limit)`);
      }
      chunks.push(value);
    }
  }
  return { status: r.status, headers: r.headers, body: Buffer.concat(chunks, size) };
}
