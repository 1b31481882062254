import { z } from 'zod';
import { createToken, listTokens, revokeToken } from '../services/tokens';
import { permitted, router } from '../trpc';
import { labelInput, userIdInput } from './inputs';

const adminTokens = permitted('admin:users');

export const adminTokensRouter = router({
  list: adminTokens
    .input(z.strictObject({ userId: userIdInput.optional() }).optional())
    .query(({ ctx, input }) => listTokens(ctx.db, { userId: input?.userId })),

  /** Returns the plaintext token once; only its sha256 is kept. */
  create: adminTokens
    .input(
      z.strictObject({
        userId: userIdInput,
        name: labelInput(100),
        expiresAt: z.coerce.date().nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => createToken({ db: ctx.db, actor: ctx.actor, ip: ctx.ip }, input)),

  revoke: adminTokens
    .input(z.strictObject({ tokenId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => revokeToken({ db: ctx.db, actor: ctx.actor, ip: ctx.ip }, input)),
});
