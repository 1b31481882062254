import type { GrantMismatch } from '../../domain/incident-summary';
import type { ChainEventOf } from '../events/types';
import type { GrantState, StateView } from '../state/types';

export type AccessEvent = ChainEventOf<'DataAccessed'>;

/** Why a grant does not cover an access (ACCESS_WITHOUT_GRANT), or null when it does. */
export function grantMismatch(ev: AccessEvent, grant: GrantState | undefined): GrantMismatch | null {
  if (!grant) return 'missing';
  if (grant.grantee !== ev.args.accessor) return 'not-grantee';
  if (grant.datasetId !== ev.args.datasetId) return 'other-dataset';
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
