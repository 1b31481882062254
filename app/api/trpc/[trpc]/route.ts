import { createTrpcHandler } from '../../../../server/http/trpc-handler';
import { log } from '../../../../server/logger';
import { withTrpcTiming } from '../../../../server/metrics/trpc-timing';
import { runtimeDeps } from '../../../../server/runtime';

let handler: ReturnType<typeof createTrpcHandler> | undefined;

function handle(req: Request): Promise<Response> {
  handler ??= withTrpcTiming(
    createTrpcHandler({
      ...runtimeDeps(),
      onError: ({ path, error }) => log().error({ path, err: error.cause ?? error }, 'trpc internal error'),
    }),
  );
  return handler(req);
}

export { handle as GET, handle as POST };
