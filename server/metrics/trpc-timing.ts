import { randomUUID } from 'node:crypto';
import { log } from '../logger';
import { appRouter } from '../routers/_app';
import { webMetrics } from './web-metrics';

const PREFIX = '/api/trpc/';

/**
 * Procedure names of a tRPC request path (`/api/trpc/a.b,c.d` for a batch). Names the router does
 * not know become `unknown`, so a client cannot grow the label set with made-up paths.
 */
export function proceduresOf(pathname: string, known: (p: string) => boolean): string[] {
  if (!pathname.startsWith(PREFIX)) return ['unknown'];
  const names = decodeURIComponent(pathname.slice(PREFIX.length))
    .split(',')
    .map((p) => (known(p) ? p : 'unknown'));
  return [...new Set(names)];
}

const procedures = appRouter._def.procedures as Record<string, unknown>;
const isProcedure = (p: string) => Object.prototype.hasOwnProperty.call(procedures, p);

/** A caller-supplied request id is kept only when it is a plain token (no header or log injection). */
function requestIdOf(req: Request): string {
  const given = req.headers.get('x-request-id');
  return given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
}

/**
 * Wraps the tRPC fetch handler, observes its duration per procedure and writes one JSON log line
 * per request with a correlation id (also returned as `x-request-id`): procedure names, method,
 * status and duration — never inputs, outputs or who asked. It sits around the
 * handler rather than inside `server/trpc.ts` so the procedure tiers stay as they are; the
 * response is not streamed (httpBatchLink), so the handler's promise covers the work.
 */
export function withTrpcTiming(
  handler: (req: Request) => Promise<Response>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    let status = 500;
    try {
      const res = await handler(req);
      status = res.status;
      try {
        res.headers.set('x-request-id', requestId);
      } catch {
        // an immutable response keeps its headers; the id is still in the log line
      }
      return res;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const { trpcDuration } = webMetrics();
      const procedures = proceduresOf(new URL(req.url).pathname, isProcedure);
      for (const procedure of procedures)
        trpcDuration.observe({ procedure, method: req.method, status: String(status) }, seconds);
      log().info(
        { requestId, procedures, method: req.method, status, ms: Math.round(seconds * 1000) },
        'trpc request',
      );
    }
  };
}
