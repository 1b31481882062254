import { z } from 'zod';
import { listTokens, revokeToken } from '../services/tokens';
import { permitted, router } from '../trpc';
import { userIdInput } from './inputs';

const adminTokens = permitted('admin:users');

/**
 * Administrators see and revoke the tokens of users inside their region. They cannot mint one:
 * a token minted for someone else would be an impersonation that skips the second factor; users
 * mint their own (me.tokens.create), operators use `create-token` at the console.
 */
export const adminTokensRouter = router({
  list: adminTokens
    .input(z.strictObject({ userId: userIdInput.optional() }).optional())
    .query(({ ctx, input }) => listTokens(ctx.db, { userId: input?.userId }, ctx.scope)),

  revoke: adminTokens
    .input(z.strictObject({ tokenId: z.number().int().positive() }))
    .mutation(({ ctx, input }) =>
      revokeToken({ db: ctx.db, actor: ctx.actor, ip: ctx.ip, scope: ctx.scope }, input),
    ),
});
