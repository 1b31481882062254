import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { authorize, scopeOf } from './auth/access';
import { writeAudit, type AuditActor } from './audit';
import type { TrpcContext } from './context';
import { isDevelopment } from './env';
import { ServiceError, toTRPCError } from './errors';
import { FOREIGN_READ_MESSAGE, refusesAuditedRead } from './http/fetch-site';
import type { Action } from './permissions';

/** Procedure metadata: the permission a procedure requires, for the scope-coverage test and docs. */
export interface ProcedureMeta {
  permission?: Action | 'signed-in' | 'public';
}

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    isDev: isDevelopment(),
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        // Never leak internals: a 500 says only that it is a 500 (the server log has the cause).
        message: error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : shape.message,
        data: {
          ...shape.data,
          // Field-by-field validation detail: { formErrors: [], fieldErrors: { email: ['…'] } }.
          zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
          reason: cause instanceof ServiceError ? (cause.details?.reason ?? null) : null,
        },
      };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;
export const middleware = t.middleware;

/** Services throw ServiceError; this is where it becomes the matching tRPC (HTTP) error. */
const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ServiceError) throw toTRPCError(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure
  .use(mapServiceErrors)
  .use(({ ctx, next }) => next({ ctx: { readDb: ctx.readDb ?? ctx.db } }))
  .meta({ permission: 'public' });

/** Signed in by session cookie or `Authorization: Bearer <token>`. */
export const protectedProcedure = publicProcedure.meta({ permission: 'signed-in' }).use(({ ctx, next }) => {
  if (!ctx.caller) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign-in required' });
  const actor: AuditActor = {
    id: ctx.caller.userId,
    label: ctx.caller.email,
    regionCode: ctx.caller.regionCode,
  };
  return next({ ctx: { caller: ctx.caller, actor } });
});

/**
 * Signed in, with the caller's region scope in `ctx.scope` (from the user record, never from
 * input). Filter every query with `scopeCondition(ctx.scope, table.regionCode)` from server/scope.ts.
 */
export const scopedProcedure = protectedProcedure.use(({ ctx, next }) =>
  next({ ctx: { scope: scopeOf(ctx.caller) } }),
);

/**
 * Refuses callers whose role lacks `action` (server/permissions.ts), and admin actions to
 * sessions without TOTP when ADMIN_TOTP=required. Use as
 * `scopedProcedure.meta({ permission: 'flows:read' }).use(requirePermission('flows:read'))`
 * or, shorter, `permitted('flows:read')`.
 */
export function requirePermission(action: Action) {
  return t.middleware(({ ctx, next }) => {
    try {
      authorize(ctx.caller, action, ctx.policy);
    } catch (e) {
      throw toTRPCError(e);
    }
    return next();
  });
}

/** A scoped procedure that requires `action`, with the action recorded in its meta. */
export function permitted(action: Action) {
  return scopedProcedure.meta({ permission: action }).use(requirePermission(action));
}

/** What an audited read records: one row per detail view, look-up or report view. */
export interface ReadAudit {
  action: string;
  target: string | null;
  details?: Record<string, unknown>;
}

/**
 * A read that is on record (security review item 5): `permitted(action)`, refused to a session
 * whose request another site made (server/http/fetch-site.ts), with `ctx.auditRead` to write the
 * row in the same procedure once the read has succeeded. One chained INSERT on the primary, never
 * on the replica; list pages are not audited, only what a user opens.
 */
export function auditedRead(action: Action) {
  return permitted(action).use(({ ctx, next }) => {
    if (refusesAuditedRead(ctx.caller, ctx.secFetchSite ?? null))
      throw new TRPCError({ code: 'FORBIDDEN', message: FOREIGN_READ_MESSAGE });
    const auditRead = (a: ReadAudit) =>
      writeAudit(ctx.db, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: a.action,
        target: a.target,
        details: a.details,
      });
    return next({ ctx: { auditRead } });
  });
}
