import { can, SECOND_FACTOR_ACTIONS, type Action } from '../permissions';
import type { Scope } from '../scope';
import { forbidden, ServiceError } from '../errors';
import type { Caller } from './caller';

export interface AccessPolicy {
  /** ADMIN_TOTP from the environment. */
  adminTotp: 'required' | 'optional';
}

/**
 * The one authorization decision: may this caller do this action? Throws a ServiceError
 * (unauthorized / forbidden) or returns the caller's region scope. Used by `requirePermission`
 * in tRPC and by `authenticateRequest` in route handlers.
 */
export function authorize(caller: Caller | null, action: Action, policy: AccessPolicy): Scope {
  if (!caller) throw new ServiceError('unauthorized', 'sign-in required');
  if (!can(caller.role, action)) throw forbidden(`role ${caller.role} may not ${action}`);
  // Tokens are issued by an admin who passed TOTP (or by an operator at the console), so the
  // second-factor rule is for interactive sessions.
  if (
    policy.adminTotp === 'required' &&
    caller.via.kind === 'session' &&
    SECOND_FACTOR_ACTIONS.includes(action) &&
    !caller.twoFactorEnabled
  ) {
    throw new ServiceError('forbidden', 'enrol a TOTP second factor first (系统管理需先绑定动态口令)', {
      reason: 'second_factor_required',
    });
  }
  return scopeOf(caller);
}

export function scopeOf(caller: Caller): Scope {
  return { regionCode: caller.regionCode };
}
