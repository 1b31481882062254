import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { applicableGrant } from './applicable-grant';
import { datasetLabel, isBefore, orgLabel, refOf, shortHash } from './describe';
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
    `${orgLabel(state, accessor)} 在授权 ${shortHash(grant.grantId)} 撤销后访问 ${datasetLabel(state, datasetId)}（撤销于区块 ${grant.revokedRef.blockNumber}）`,
    [grant.revokedRef],
  );
}
