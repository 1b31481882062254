import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SETTINGS } from '../../domain/rules';
import { mergeRuleSettings } from '../../workers/rules/settings';
import { volumeThreshold } from '../../workers/rules/volume-spike';

describe('rules: settings and thresholds', () => {
  it('merges numeric overrides over the defaults and ignores junk', () => {
    expect(mergeRuleSettings(null)).toEqual(DEFAULT_RULE_SETTINGS);
    expect(
      mergeRuleSettings({ offHoursBulkMinRecords: 500, volumeSpikeMedianFactor: 'x', bogus: 1 }),
    ).toEqual({
      ...DEFAULT_RULE_SETTINGS,
      offHoursBulkMinRecords: 500,
    });
  });
  it('volume threshold is max(1000, 10 × median); no history ⇒ 1000', () => {
    expect(volumeThreshold(0, DEFAULT_RULE_SETTINGS)).toBe(1000);
    expect(volumeThreshold(99.5, DEFAULT_RULE_SETTINGS)).toBe(1000);
    expect(volumeThreshold(150.5, DEFAULT_RULE_SETTINGS)).toBe(1505);
  });
});
