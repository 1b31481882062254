import { z } from 'zod';
import { flowPairs, flowSeriesByMode } from '../services/flows';
import { listFlowAccesses, viewAccessProof } from '../services/flows-accesses';
import { FLOW_GROUPS, flowFilterFields } from '../services/flows-filter';
import { permitted, router } from '../trpc';

const group = z.enum(FLOW_GROUPS);
/** A link end at its grouping: an address, an org kind code or a region code. */
const linkEnd = z.string().regex(/^(0x[0-9a-fA-F]{40}|-?\d{1,6})$/, 'an address, kind code or region code');

/** 数据共享流向: provider → consumer flows from flow_daily, drilled to single accesses and their proof. */
export const flowsRouter = router({
  sankey: permitted('flows:read')
    .input(
      z.strictObject({
        ...flowFilterFields,
        group: group.default('org'),
        top: z.number().int().min(1).max(200).default(30),
      }),
    )
    .query(({ ctx, input: { group: g, top, ...f } }) =>
      flowPairs(ctx.readDb, ctx.scope, { ...f, now: ctx.now?.() }, g, top),
    ),

  matrix: permitted('flows:read')
    .input(z.strictObject({ ...flowFilterFields, axis: z.enum(['kind', 'region']).default('kind') }))
    // Kinds are at most 13 × 13 and provinces 34 × 34: the whole matrix, no top-N cut.
    .query(({ ctx, input: { axis, ...f } }) =>
      flowPairs(ctx.readDb, ctx.scope, { ...f, now: ctx.now?.() }, axis, 2000),
    ),

  series: permitted('flows:read')
    .input(z.strictObject(flowFilterFields))
    .query(({ ctx, input }) => flowSeriesByMode(ctx.readDb, ctx.scope, { ...input, now: ctx.now?.() })),

  accesses: permitted('flows:read')
    .input(
      z.strictObject({
        ...flowFilterFields,
        link: z.strictObject({ group, source: linkEnd, target: linkEnd }).optional(),
        limit: z.number().int().min(1).max(200).default(20),
        /** Keyset cursor: `next` of the previous page (the name tRPC's infinite queries use). */
        cursor: z
          .strictObject({ blockNumber: z.number().int().min(0), logIndex: z.number().int().min(0) })
          .nullish(),
        direction: z.enum(['forward', 'backward']).optional(),
      }),
    )
    .query(({ ctx, input: { link, limit, cursor, direction: _direction, ...f } }) =>
      listFlowAccesses(ctx.readDb, ctx.scope, { ...f, now: ctx.now?.() }, link ?? null, {
        limit,
        before: cursor ?? undefined,
      }),
    ),

  // Viewing a proof is itself audited ('proof.view'), so it is a mutation (POST): a GET could be
  // triggered cross-site (a link, an <img>) and would write audit rows in the victim's name.
  proof: permitted('flows:read')
    .input(
      z.strictObject({
        chainId: z.number().int().positive().optional(),
        blockNumber: z.number().int().min(0),
        logIndex: z.number().int().min(0),
      }),
    )
    .mutation(({ ctx, input }) =>
      viewAccessProof({ db: ctx.db, actor: ctx.actor, ip: ctx.ip }, ctx.scope, input),
    ),
});
