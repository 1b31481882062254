import { describe, expect, it } from 'vitest';
import { plainError } from '../../app/_lib/plain-error';

describe('raw errors become plain messages', () => {
  it('zod issues sent as JSON read "field: message"', () => {
    const raw = JSON.stringify([
      {
        origin: 'string',
        code: 'custom',
        path: ['filter', 'from'],
        message: '"from" must not be after "to"',
      },
    ]);
    expect(plainError(raw)).toBe('filter.from: "from" must not be after "to"');
  });
  it('other messages pass through; broken JSON too', () => {
    expect(plainError('to: 2026-12-31 is after today')).toBe('to: 2026-12-31 is after today');
    expect(plainError('[not json')).toBe('[not json');
  });
});
