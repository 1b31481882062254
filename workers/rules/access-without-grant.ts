import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { grantMismatch } from './applicable-grant';
import { datasetLabel, orgLabel, shortHash } from './describe';
import { eventFinding } from './finding';

/** ACCESS_WITHOUT_GRANT: the grant is unknown, names another grantee, or another dataset. */
export function accessWithoutGrant(
  ev: ChainEvent,
  state: StateView,
  _settings: RuleSettings,
): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const { grantId, accessor, datasetId, recordCount } = ev.args;
  const grant = state.grant(grantId);
  const reason = grantMismatch(ev, grant);
  if (reason === null) return null;
  return eventFinding(
    'ACCESS_WITHOUT_GRANT',
    ev,
    state,
    accessor,
    `${orgLabel(state, accessor)} 无授权访问 ${datasetLabel(state, datasetId)} ${recordCount} 条记录（授权 ${shortHash(grantId)}：${reason}）`,
    [grant?.granted],
  );
}
