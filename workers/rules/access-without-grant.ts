import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { grantMismatch } from './applicable-grant';
import { datasetFact, orgFact } from './describe';
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
    {
      rule: 'ACCESS_WITHOUT_GRANT',
      org: orgFact(state, accessor),
      dataset: datasetFact(state, datasetId),
      records: recordCount,
      grant: grantId,
      reason,
    },
    [grant?.granted],
  );
}
