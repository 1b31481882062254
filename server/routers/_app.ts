import { router } from '../trpc';
import { adminRouter } from './admin';
import { adoptionRouter } from './adoption';
import { chainRouter } from './chain';
import { flowsRouter } from './flows';
import { incidentsRouter } from './incidents';
import { meRouter } from './me';
import { orgsRouter } from './orgs';
import { overviewRouter } from './overview';
import { reportsRouter } from './reports';
import { scopeProbeRouter } from './scope-probe';
import { siloRouter } from './silo';
import { subscriptionsRouter } from './subscriptions';
import { targetsRouter } from './targets';
import { supervisionRouter } from './supervision';
import { verifyRouter } from './verify';

/**
 * The root router. Domain routers (one file each in server/routers/) are added here:
 *   - a procedure reading region-bound data is `permitted('<action>')` (server/trpc.ts) and
 *     filters with `scopeCondition(ctx.scope, table.regionCode)` (server/scope.ts);
 *   - every procedure needs a row in test/integration/server-scope.test.ts's table, or that test fails.
 */
export const appRouter = router({
  me: meRouter,
  admin: adminRouter,
  scopeProbe: scopeProbeRouter,
  overview: overviewRouter,
  flows: flowsRouter,
  adoption: adoptionRouter,
  chain: chainRouter,
  verify: verifyRouter, // ('proof:read')
  orgs: orgsRouter, // ('orgs:read')
  reports: reportsRouter, // ('reports:read')
  targets: targetsRouter, // ('adoption:read' / 'targets:write')
  silo: siloRouter, // ('adoption:read')
  subscriptions: subscriptionsRouter, // ('reports:read')
  incidents: incidentsRouter, // ('incidents:read' / 'incidents:triage')
  supervision: supervisionRouter, // ('supervision:read' / 'supervision:direct' / 'supervision:answer')
});

export type AppRouter = typeof appRouter;
