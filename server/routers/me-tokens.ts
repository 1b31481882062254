import { z } from 'zod';
import { authorizeTokenMint } from '../auth/access';
import { createToken, listTokens, revokeToken } from '../services/tokens';
import { protectedProcedure, router } from '../trpc';
import { labelInput } from './inputs';

/** The caller's own API tokens: minted here (shown once), listed and revoked by their owner. */
export const meTokensRouter = router({
  list: protectedProcedure.query(({ ctx }) => listTokens(ctx.db, { userId: ctx.caller.userId })),

  /** Returns the plaintext token once; only its sha256 is kept. Expires in 90 days unless asked. */
  create: protectedProcedure
    .input(z.strictObject({ name: labelInput(100), expiresAt: z.coerce.date().optional() }))
    .mutation(({ ctx, input }) => {
      authorizeTokenMint(ctx.caller, ctx.policy);
      return createToken(
        { db: ctx.db, actor: ctx.actor, ip: ctx.ip },
        { userId: ctx.caller.userId, ...input },
      );
    }),

  revoke: protectedProcedure
    .input(z.strictObject({ tokenId: z.number().int().positive() }))
    .mutation(({ ctx, input }) =>
      revokeToken({ db: ctx.db, actor: ctx.actor, ip: ctx.ip }, { ...input, ownerId: ctx.caller.userId }),
    ),
});
