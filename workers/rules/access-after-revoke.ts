import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { applicableGrant } from './applicable-grant';
import { datasetFact, isBefore, orgFact, refOf } from './describe';
import { eventFinding } from './finding';

/**
 * ACCESS_AFTER_REVOKE: the grant's AccessRevoked comes earlier in chain order. The state is the one
 * before this event, but the revocation's coordinates are compared anyway so a caller that hands
 * in later state (same block, higher logIndex) still judges chain order, not arrival order.
 */
export function accessAfterRevoke(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const grant = applicableGrant(ev, state);
  if (!grant?.revoked || !grant.revokedRef || !isBefore(grant.revokedRef, refOf(ev))) return null;
  const { accessor, datasetId } = ev.args;
  return eventFinding(
    'ACCESS_AFTER_REVOKE',
    ev,
    state,
    accessor,
    {
      rule: 'ACCESS_AFTER_REVOKE',
      org: orgFact(state, accessor),
      dataset: datasetFact(state, datasetId),
      grant: grant.grantId,
      revokedBlock: grant.revokedRef.blockNumber,
    },
    [grant.revokedRef],
  );
}
