import { z } from 'zod';
import { listDeliveries, listSubscriptions, subscribe, unsubscribe } from '../reports/delivery';
import { REPORT_LANGS } from '../reports/render';
import { permitted, router } from '../trpc';

/** Report delivery by e-mail: one's own subscriptions, and the delivery log of reports in scope. */
export const subscriptionsRouter = router({
  list: permitted('reports:read').query(({ ctx }) => listSubscriptions(ctx.db, ctx.caller.userId)),

  subscribe: permitted('reports:read')
    .input(
      z.strictObject({
        regionCode: z.number().int().min(0).max(829999),
        kind: z.enum(['month', 'quarter']),
        lang: z.enum(REPORT_LANGS).default('zh'),
        /** Defaults to the caller's own address. */
        email: z.email().max(320).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      subscribe(ctx.db, {
        scope: ctx.scope,
        actor: { id: ctx.caller.userId, label: ctx.actor.label },
        email: input.email ?? ctx.caller.email,
        ip: ctx.ip,
        regionCode: input.regionCode,
        kind: input.kind,
        lang: input.lang,
      }),
    ),

  unsubscribe: permitted('reports:read')
    .input(z.strictObject({ id: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      await unsubscribe(ctx.db, {
        actor: { id: ctx.caller.userId, label: ctx.actor.label },
        ip: ctx.ip,
        id: input.id,
      });
      return { ok: true };
    }),

  deliveries: permitted('reports:read')
    .input(z.strictObject({ limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.scope, input.limit)),
});
