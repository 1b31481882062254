import { runtimeDeps } from '../../../../server/runtime';
import { webEnv } from '../../../../server/env';
import { createEvidenceVerifyHandler } from '../../../../server/services/evidence-verify-handler';

export const dynamic = 'force-dynamic';

/**
 * POST /api/verify/evidence — verify an uploaded evidence package, signed-export ZIP or manifest
 * (server/services/evidence-verify-handler.ts holds the handler, for tests without Next.js).
 */
export function POST(req: Request): Promise<Response> {
  return createEvidenceVerifyHandler({ ...runtimeDeps(), rpcUrl: webEnv().CHAIN_RPC_URL })(req);
}
