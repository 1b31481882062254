import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { incidents } from '../../db/schema/incidents';
import { orgs } from '../../db/schema/projections';
import { scopeCondition } from '../scope';
import { permitted, router } from '../trpc';

/**
 * The smallest scoped reads over real tables: which incidents and orgs the caller's region scope
 * lets through. They pin the scope contract in tests until the incidents/orgs routers land, and
 * give an operator a quick "what does this user see" check. Scope is applied in SQL.
 */
export const scopeProbeRouter = router({
  incidents: permitted('incidents:read')
    .input(z.strictObject({ chainId: z.number().int().positive() }))
    .query(({ ctx, input }) =>
      ctx.db
        .select({ id: incidents.id, rule: incidents.rule, regionCode: incidents.regionCode })
        .from(incidents)
        .where(and(eq(incidents.chainId, input.chainId), scopeCondition(ctx.scope, incidents.regionCode)))
        .orderBy(asc(incidents.id))
        .limit(100),
    ),

  orgs: permitted('orgs:read')
    .input(z.strictObject({ chainId: z.number().int().positive() }))
    .query(({ ctx, input }) =>
      ctx.db
        .select({ address: orgs.address, name: orgs.name, regionCode: orgs.regionCode })
        .from(orgs)
        .where(and(eq(orgs.chainId, input.chainId), scopeCondition(ctx.scope, orgs.regionCode)))
        .orderBy(asc(orgs.address))
        .limit(100),
    ),
});
