import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { provinceOf } from '../../domain/regions';
import { datasetFact } from './describe';
import { eventFinding } from './finding';

/**
 * CROSS_PROVINCE_SENSITIVE: a dataset of sensitivity ≥ the threshold read by an org of another
 * province than its owner. Both orgs must be known (active or not): an unknown one has no province
 * to compare, and UNREGISTERED_ACTOR already speaks for an unknown accessor.
 */
export function crossProvinceSensitive(
  ev: ChainEvent,
  state: StateView,
  settings: RuleSettings,
): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const { datasetId, accessor } = ev.args;
  const dataset = state.dataset(datasetId);
  if (!dataset || dataset.sensitivity < settings.crossProvinceMinSensitivity) return null;
  const owner = state.org(dataset.owner);
  const reader = state.org(accessor);
  if (!owner || !reader) return null;
  if (provinceOf(owner.regionCode) === provinceOf(reader.regionCode)) return null;
  return eventFinding('CROSS_PROVINCE_SENSITIVE', ev, state, accessor, {
    rule: 'CROSS_PROVINCE_SENSITIVE',
    org: { name: reader.name, address: accessor, regionCode: reader.regionCode },
    owner: { name: owner.name, address: dataset.owner, regionCode: owner.regionCode },
    dataset: datasetFact(state, datasetId),
    sensitivity: dataset.sensitivity,
  });
}
