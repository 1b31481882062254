import { permissionsOf } from '../permissions';
import { protectedProcedure, router } from '../trpc';
import { meTokensRouter } from './me-tokens';

/** The signed-in caller: who am I, what may I do, what do I see. */
export const meRouter = router({
  get: protectedProcedure.query(({ ctx }) => ({
    id: ctx.caller.userId,
    email: ctx.caller.email,
    name: ctx.caller.name,
    role: ctx.caller.role,
    regionCode: ctx.caller.regionCode,
    twoFactorEnabled: ctx.caller.twoFactorEnabled,
    secondFactorRequired:
      ctx.policy.adminTotp === 'required' && ctx.caller.role === 'admin' && !ctx.caller.twoFactorEnabled,
    permissions: permissionsOf(ctx.caller.role),
    via: ctx.caller.via.kind,
  })),
  tokens: meTokensRouter,
});
