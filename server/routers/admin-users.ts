import { z } from 'zod';
import { createUser, listUsers, setUserDisabled, updateUserAccess } from '../services/users';
import { permitted, router } from '../trpc';
import { emailInput, labelInput, passwordInput, regionCodeInput, roleInput, userIdInput } from './inputs';

const adminUsers = permitted('admin:users');

export const adminUsersRouter = router({
  list: adminUsers.query(({ ctx }) => listUsers(ctx.db, ctx.scope)),

  create: adminUsers
    .input(
      z.strictObject({
        email: emailInput,
        password: passwordInput,
        name: labelInput(100).optional(),
        role: roleInput,
        regionCode: regionCodeInput.nullable(),
      }),
    )
    .mutation(({ ctx, input }) =>
      createUser({ db: ctx.db, actor: ctx.actor, ip: ctx.ip, scope: ctx.scope }, input),
    ),

  updateAccess: adminUsers
    .input(
      z
        .strictObject({
          userId: userIdInput,
          role: roleInput.optional(),
          regionCode: regionCodeInput.nullable().optional(),
        })
        .refine((v) => v.role !== undefined || v.regionCode !== undefined, {
          message: 'give role or regionCode',
        }),
    )
    .mutation(({ ctx, input }) =>
      updateUserAccess({ db: ctx.db, actor: ctx.actor, ip: ctx.ip, scope: ctx.scope }, input),
    ),

  setDisabled: adminUsers
    .input(z.strictObject({ userId: userIdInput, disabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setUserDisabled({ db: ctx.db, actor: ctx.actor, ip: ctx.ip, scope: ctx.scope }, input),
    ),
});
