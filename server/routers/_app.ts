import { router } from '../trpc';
import { adminRouter } from './admin';
import { meRouter } from './me';
import { scopeProbeRouter } from './scope-probe';

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
  // ── dashboard routers go here ──
  // overview: overviewRouter,     ('overview:read')
  // flows: flowsRouter,           ('flows:read')
  // adoption: adoptionRouter,     ('adoption:read')
  // chain: chainRouter,           ('chain:read')
  // verify: verifyRouter,         ('proof:read')
  // orgs: orgsRouter,             ('orgs:read')
  // reports: reportsRouter,       ('reports:read')
  // ── incidents router goes here ──
  // incidents: incidentsRouter,   ('incidents:read' / 'incidents:triage')
});

export type AppRouter = typeof appRouter;
