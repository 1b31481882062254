import type { ChainEventOf } from '../events/types';
import type { GrantState, StateView } from '../state/types';

export type AccessEvent = ChainEventOf<'DataAccessed'>;

/** Why a grant does not cover an access (ACCESS_WITHOUT_GRANT), or null when it does. */
export function grantMismatch(ev: AccessEvent, grant: GrantState | undefined): string | null {
  if (!grant) return '授权不存在';
  if (grant.grantee !== ev.args.accessor) return '访问方不是被授权方';
  if (grant.datasetId !== ev.args.datasetId) return '数据集与授权不符';
  return null;
}

/**
 * The grant an access rests on, or null when ACCESS_WITHOUT_GRANT applies: docs/rules.md says the
 * other grant rules (revoke, expiry, mode, purpose) are then not judged, since the grant does not
 * apply to this access. Each of those rules starts here, so the precedence holds wherever they run.
 */
export function applicableGrant(ev: AccessEvent, state: StateView): GrantState | null {
  const grant = state.grant(ev.args.grantId);
  return grant && grantMismatch(ev, grant) === null ? grant : null;
}
