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

/**
 * Wraps the tRPC fetch handler and observes its duration per procedure. It sits around the
 * handler rather than inside `server/trpc.ts` so the procedure tiers stay as they are; the
 * response is not streamed (httpBatchLink), so the handler's promise covers the work.
 */
export function withTrpcTiming(
  handler: (req: Request) => Promise<Response>,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const started = performance.now();
    let status = 500;
    try {
      const res = await handler(req);
      status = res.status;
      return res;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const { trpcDuration } = webMetrics();
      for (const procedure of proceduresOf(new URL(req.url).pathname, isProcedure))
        trpcDuration.observe({ procedure, method: req.method, status: String(status) }, seconds);
    }
  };
}
