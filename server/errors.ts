import { TRPCError } from '@trpc/server';

/**
 * Typed errors of services. Services throw these (never TRPCError) so they stay usable from the
 * CLI and route handlers; `toTRPCError` is the one mapping to the API's error codes.
 */
export class ServiceError extends Error {
  constructor(
    readonly kind: 'not_found' | 'forbidden' | 'conflict' | 'invalid' | 'unauthorized' | 'too_many',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (what: string) => new ServiceError('not_found', `${what} not found`);
export const forbidden = (why: string) => new ServiceError('forbidden', why);
export const conflict = (why: string) => new ServiceError('conflict', why);
export const invalid = (why: string, details?: Record<string, unknown>) =>
  new ServiceError('invalid', why, details);

const CODES = {
  not_found: 'NOT_FOUND',
  forbidden: 'FORBIDDEN',
  conflict: 'CONFLICT',
  invalid: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  too_many: 'TOO_MANY_REQUESTS',
} as const satisfies Record<ServiceError['kind'], TRPCError['code']>;

export function toTRPCError(e: unknown): TRPCError {
  if (e instanceof TRPCError) return e;
  if (e instanceof ServiceError) return new TRPCError({ code: CODES[e.kind], message: e.message, cause: e });
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'internal error', cause: e });
}

/** HTTP status for a ServiceError, for route handlers outside tRPC. */
export const HTTP_STATUS: Record<ServiceError['kind'], number> = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  invalid: 400,
  unauthorized: 401,
  too_many: 429,
};
