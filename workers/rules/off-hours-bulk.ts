import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { shanghaiHour } from '../../domain/time';
import { datasetFact, orgFact } from './describe';
import { eventFinding } from './finding';

/**
 * Off hours run from `start` (inclusive) to `end` (exclusive) in Asia/Shanghai: 22:00 is off,
 * 06:00 is working time. A window that does not wrap midnight (start < end) is honoured too.
 */
export function isOffHours(hour: number, start: number, end: number): boolean {
  return start > end ? hour >= start || hour < end : hour >= start && hour < end;
}

/** OFF_HOURS_BULK: one access of at least the threshold (≥, not >) of records in off hours. */
export function offHoursBulk(ev: ChainEvent, state: StateView, settings: RuleSettings): Finding | null {
  if (ev.eventName !== 'DataAccessed') return null;
  const { recordCount, accessor, datasetId } = ev.args;
  if (recordCount < settings.offHoursBulkMinRecords) return null;
  if (!isOffHours(shanghaiHour(ev.blockTime), settings.offHoursStartHour, settings.offHoursEndHour))
    return null;
  return eventFinding('OFF_HOURS_BULK', ev, state, accessor, {
    rule: 'OFF_HOURS_BULK',
    org: orgFact(state, accessor),
    dataset: datasetFact(state, datasetId),
    at: ev.blockTime,
    records: recordCount,
  });
}
