import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContext, type ContextDeps } from '../context';
import { appRouter } from '../routers/_app';
import { BodyTooLargeError, jsonError, limitBody, TRPC_BODY_LIMIT } from './limits';
import { hasBearer, isSameOriginRequest } from './origin';

export const TRPC_ENDPOINT = '/api/trpc';

/** Calls per batched request; the app batches what one screen needs at once (well under this). */
export const TRPC_MAX_BATCH = 16;

export interface TrpcHandlerDeps extends ContextDeps {
  baseUrl?: string;
  onError?: (e: { path?: string; error: Error }) => void;
}

/**
 * The tRPC HTTP endpoint as a plain `Request → Response` function (the Next route handler is a
 * one-line wrapper, tests call it directly): body cap, Origin check on mutations, then tRPC.
 */
export function createTrpcHandler(deps: TrpcHandlerDeps) {
  return async (incoming: Request): Promise<Response> => {
    // tRPC mutations are POSTs; queries are GETs and change nothing.
    if (incoming.method !== 'GET' && !hasBearer(incoming) && !isSameOriginRequest(incoming, deps.baseUrl)) {
      return jsonError(403, 'FORBIDDEN', 'cross-origin request refused');
    }
    // A malformed percent-escape in the path (e.g. /api/trpc/%E0%A4%A) is the client's error.
    try {
      decodeURIComponent(new URL(incoming.url).pathname);
    } catch {
      return jsonError(400, 'BAD_REQUEST', 'malformed percent-escape in the request path');
    }
    // A batch runs its calls concurrently: cap it, so one request cannot start a hundred queries.
    const paths = new URL(incoming.url).pathname.slice(TRPC_ENDPOINT.length + 1).split(',');
    if (paths.length > TRPC_MAX_BATCH) {
      return jsonError(400, 'BAD_REQUEST', `at most ${TRPC_MAX_BATCH} calls per batch`);
    }
    let req: Request;
    try {
      req = await limitBody(incoming, TRPC_BODY_LIMIT);
    } catch (e) {
      if (e instanceof BodyTooLargeError) return jsonError(413, 'PAYLOAD_TOO_LARGE', e.message);
      throw e;
    }
    return fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req,
      router: appRouter,
      createContext: () => createContext(deps, req.headers),
      onError: ({ path, error }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') deps.onError?.({ path, error });
      },
      // no-transform: Next.js's built-in gzip skips these answers (pages and scripts keep it).
      // Compressing every tRPC answer in-process doubled the dashboard's p95 with 50 users on two
      // cores (bench dashboard-http at ≈ 9M events: 74–115 ms against 52–57 ms); the answers are a
      // few kilobytes, and the TLS reverse proxy in front may compress them (docs/operations.md).
      responseMeta: () => ({ headers: new Headers({ 'cache-control': 'no-store, no-transform' }) }),
    });
  };
}
