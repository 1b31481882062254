import { z } from 'zod';
import { listAudit } from '../services/audit-log';
import { permitted, router } from '../trpc';
import { labelInput } from './inputs';

/** Filters shared by the list and the CSV export (app/api/admin/audit-export). */
export const auditFilterInput = z.strictObject({
  action: z
    .string()
    .max(64)
    .regex(/^[a-z_.]+$/, 'letters, "_" and "." only')
    .optional(),
  actor: labelInput(320).optional(),
  target: labelInput(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const adminAuditRouter = router({
  list: permitted('audit:read')
    .input(
      auditFilterInput.extend({
        limit: z.number().int().min(1).max(500).default(100),
        /** Keyset cursor: the `nextBefore` of the previous page (named for tRPC's infinite queries). */
        cursor: z.number().int().positive().nullish(),
        /** Sent by tRPC's infinite queries; pages only go backwards in time, so it is ignored. */
        direction: z.enum(['forward', 'backward']).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { limit, cursor, direction: _direction, ...filter } = input;
      return listAudit(ctx.db, filter, { limit, before: cursor ?? undefined }, ctx.scope);
    }),
});
