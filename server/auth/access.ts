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
  // Tokens are minted by their owner from a session that passed TOTP where the role needs it
  // (authorizeTokenMint), or by an operator at the console, so the rule is for sessions.
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

/**
 * May this caller mint an API token for themselves? Only from an interactive session (a token
 * minting tokens would renew itself forever), and, where the role's permissions need a second
 * factor, only once it is enrolled: the token then stands for a sign-in that passed TOTP.
 */
export function authorizeTokenMint(caller: Caller, policy: AccessPolicy): void {
  if (caller.via.kind !== 'session') throw forbidden('API tokens are created from a signed-in session');
  const needsSecondFactor = SECOND_FACTOR_ACTIONS.some((a) => can(caller.role, a));
  if (policy.adminTotp === 'required' && needsSecondFactor && !caller.twoFactorEnabled) {
    throw new ServiceError('forbidden', 'enrol a TOTP second factor first (需先绑定动态口令)', {
      reason: 'second_factor_required',
    });
  }
}
