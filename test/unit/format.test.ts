import { describe, expect, it } from 'vitest';
import { shanghaiTime, shortHash, yuan } from '~/domain/format';
import { shortHash as summaryHash, yuan as summaryYuan } from '~/workers/rules/describe';

const address = '0x1234567890abcdef1234567890abcdef12345678';
const hash = `0x${'ab'.repeat(31)}cd`;

describe('domain/format', () => {
  it('shanghaiTime: UTC shown as Asia/Shanghai wall time, empty for nothing', () => {
    expect(shanghaiTime(new Date('2026-09-01T15:15:00Z'))).toBe('2026-09-01 23:15:00');
    // One zero-padded form in both languages, across a Shanghai day and year end.
    expect(shanghaiTime('2026-09-01T15:15:00Z', 'en')).toBe('2026-09-01 23:15:00');
    expect(shanghaiTime('2026-12-31T16:05:09Z', 'zh')).toBe('2027-01-01 00:05:09');
    expect(shanghaiTime('not a time')).toBe('');
    expect(shanghaiTime(null)).toBe('');
  });

  it('shortHash: head hex digits after 0x, four at the end; short values stay whole', () => {
    expect(shortHash(address)).toBe('0x123456…5678');
    expect(shortHash(hash, 10)).toBe('0xababababab…abcd');
    expect(shortHash('0x12345678ab')).toBe('0x12345678ab');
    expect(shortHash(undefined)).toBe('');
  });

  it('yuan: fen to yuan with separators and two decimals, never through a float', () => {
    expect(yuan('123456789012345678901')).toBe('¥1,234,567,890,123,456,789.01');
    expect(yuan(5)).toBe('¥0.05');
    expect(yuan(100n, 'unit')).toBe('1.00 元');
    expect(yuan(-123456n, 'unit')).toBe('-1,234.56 元');
    expect(yuan(null)).toBe('');
  });

  it("the incident summaries' compact forms", () => {
    expect(summaryHash(address)).toBe('0x12…78');
    expect(summaryYuan(123456n)).toBe('1,234.56 元');
  });
});
