import { describe, expect, it } from 'vitest';
import { crossProvinceSensitive } from '../../workers/rules/cross-province-sensitive';
import { isOffHours, offHoursBulk } from '../../workers/rules/off-hours-bulk';
import {
  addDataset,
  addOrg,
  addr,
  event,
  h32,
  memState,
  settings,
  SHANGHAI_MIDNIGHT,
} from './rules-fixtures';

const accessor = addr(0xa2);
const owner = addr(0xa1);
const datasetId = h32(0x7001);

function access(recordCount: number, blockTime: number) {
  return event(
    'DataAccessed',
    { grantId: h32(1), datasetId, accessor, mode: 2, purpose: 1, recordCount, payloadHash: h32(2) },
    { blockNumber: 300, logIndex: 1, blockTime },
  );
}

describe('rules: OFF_HOURS_BULK', () => {
  const s = memState();
  addOrg(s, accessor, 110108, '海淀区民政局');
  const at2300 = SHANGHAI_MIDNIGHT - 3600;

  it('1000 records off hours fires; 999 does not', () => {
    expect(offHoursBulk(access(1000, at2300), s, settings)).toMatchObject({
      rule: 'OFF_HOURS_BULK',
      severity: 'low',
      regionCode: 110108,
      key: '300-1',
    });
    expect(offHoursBulk(access(999, at2300), s, settings)).toBeNull();
  });
  it('22:00:00 Shanghai is off hours, 21:59:59 is not', () => {
    const at2200 = SHANGHAI_MIDNIGHT - 2 * 3600;
    expect(offHoursBulk(access(5000, at2200), s, settings)).not.toBeNull();
    expect(offHoursBulk(access(5000, at2200 - 1), s, settings)).toBeNull();
  });
  it('05:59:59 Shanghai is off hours, 06:00:00 is not', () => {
    const at0600 = SHANGHAI_MIDNIGHT + 6 * 3600;
    expect(offHoursBulk(access(5000, at0600 - 1), s, settings)).not.toBeNull();
    expect(offHoursBulk(access(5000, at0600), s, settings)).toBeNull();
  });
  it('judges the Shanghai hour, not UTC: 15:59:59Z is 23:59:59 and 16:00:00Z is 00:00 next day', () => {
    expect(offHoursBulk(access(1000, Date.parse('2026-09-01T15:59:59Z') / 1000), s, settings)).not.toBeNull();
    expect(offHoursBulk(access(1000, Date.parse('2026-09-01T16:00:00Z') / 1000), s, settings)).not.toBeNull();
    // 02:00Z is 10:00 in Shanghai: working time although it is night in UTC terms nowhere near.
    expect(offHoursBulk(access(1000, Date.parse('2026-09-01T02:00:00Z') / 1000), s, settings)).toBeNull();
  });
  it('honours a window that does not wrap midnight', () => {
    expect(isOffHours(12, 12, 14)).toBe(true);
    expect(isOffHours(14, 12, 14)).toBe(false);
    expect(isOffHours(23, 22, 6)).toBe(true);
    expect(isOffHours(6, 22, 6)).toBe(false);
  });
});

describe('rules: CROSS_PROVINCE_SENSITIVE', () => {
  function setup(sensitivity: number, readerRegion: number, readerActive = true) {
    const s = memState();
    addOrg(s, owner, 440100, '广州市公安局');
    addOrg(s, accessor, readerRegion, '杭州市某企业', readerActive);
    addDataset(s, datasetId, owner, sensitivity);
    return s;
  }
  const ev = access(10, SHANGHAI_MIDNIGHT + 10 * 3600);

  it('fires for sensitivity 3 across provinces, attributed to the accessor', () => {
    expect(crossProvinceSensitive(ev, setup(3, 330100), settings)).toMatchObject({
      rule: 'CROSS_PROVINCE_SENSITIVE',
      regionCode: 330100,
      orgAddress: accessor,
    });
  });
  it('is silent for sensitivity 2', () => {
    expect(crossProvinceSensitive(ev, setup(2, 330100), settings)).toBeNull();
  });
  it('is silent within one province (different cities)', () => {
    expect(crossProvinceSensitive(ev, setup(4, 440300), settings)).toBeNull();
  });
  it('counts a deactivated accessor as known', () => {
    expect(crossProvinceSensitive(ev, setup(4, 330100, false), settings)).not.toBeNull();
  });
  it('is silent when the accessor or the dataset is unknown', () => {
    const s = setup(4, 330100);
    s.orgs.delete(accessor);
    expect(crossProvinceSensitive(ev, s, settings)).toBeNull();
    expect(crossProvinceSensitive(ev, memState(), settings)).toBeNull();
  });
});
