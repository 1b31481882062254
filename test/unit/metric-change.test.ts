import { describe, expect, it } from 'vitest';
import { formatMetricChange, formatMetricValue } from '../../app/_charts/format';

describe('a KPI changes in the unit its kind calls for', () => {
  it('a share (网办率 0.31 → 0.54) changes in percentage points, not +74.2 %', () => {
    expect(formatMetricChange('share', 0.54, 0.31)).toEqual({ text: '+23.0 个百分点', dir: 'up' });
    expect(formatMetricChange('share', 0.54, 0.31, 'en')).toEqual({ text: '+23.0 pp', dir: 'up' });
    expect(formatMetricChange('share', 0.2, 0.25, 'zh')).toEqual({ text: '-5.0 个百分点', dir: 'down' });
    expect(formatMetricChange('share', 0.5, 0.5)).toEqual({ text: '0.0 个百分点', dir: 'flat' });
  });

  it('a count changes relatively', () => {
    expect(formatMetricChange('count', 54, 31)).toEqual({ text: '+74.2%', dir: 'up' });
    expect(formatMetricChange('count', 5, 0)).toEqual({ text: 'new', dir: 'up' });
  });

  it('tooltips read a share as a percentage (0.54 is 54.0%), a count exactly', () => {
    expect(formatMetricValue('share', 0.54)).toBe('54.0%');
    expect(formatMetricValue('share', 0.3125)).toBe('31.3%');
    expect(formatMetricValue('count', 12345, 'zh')).toBe('12,345');
  });
});
