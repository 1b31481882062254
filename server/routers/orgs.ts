import { z } from 'zod';
import { ORG_KINDS } from '../../domain/codes';
import { addressInput } from '../services/incidents-filter';
import { listOrgs } from '../services/orgs';
import { getOrgDetail } from '../services/orgs-detail';
import { permitted, router } from '../trpc';
import { labelInput, regionCodeInput } from './inputs';

const kindInput = z
  .number()
  .int()
  .refine((k) => k in ORG_KINDS, { message: `must be an org kind: ${Object.keys(ORG_KINDS).join(', ')}` });

/** 成员机构: the consortium members of the caller's scope, and one member's activity. */
export const orgsRouter = router({
  list: permitted('orgs:read')
    .input(
      z.strictObject({
        kind: kindInput.optional(),
        region: regionCodeInput.optional(),
        search: labelInput(100).optional(),
        active: z.boolean().optional(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(100_000).default(0),
      }),
    )
    .query(({ ctx, input }) => {
      const { limit, offset, ...filter } = input;
      return listOrgs(ctx.readDb, ctx.scope, filter, { limit, offset });
    }),

  get: permitted('orgs:read')
    .input(z.strictObject({ address: addressInput, chainId: z.number().int().positive().optional() }))
    .query(({ ctx, input }) => getOrgDetail(ctx.readDb, ctx.scope, input)),
});
