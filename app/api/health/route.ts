import { webEnv } from '../../../server/env';
import { checkHealth } from '../../../server/health/check';
import { healthResponse } from '../../../server/http/health-response';
import { getDb, getReadDb, hasReadReplica } from '../../../server/db';
import { getRedis } from '../../../server/redis';

/** GET /api/health — no session; for load balancers and monitoring (DESIGN §8). */
export async function GET(): Promise<Response> {
  const report = await checkHealth({
    db: getDb(),
    pingRedis: () => getRedis().ping(),
    chainId: webEnv().CHAIN_ID,
    ...(hasReadReplica() ? { readDb: getReadDb() } : {}),
  });
  return healthResponse(report);
}
