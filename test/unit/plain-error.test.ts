import { describe, expect, it } from 'vitest';
import { issueKey, plainError, serverIssues } from '../../app/_lib/plain-error';

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

describe('filter problems as the page says them', () => {
  it('maps zod and server texts to a sentence key, never showing them', () => {
    const zodEnum = 'Invalid option: expected one of "7d"|"30d"|"90d"|"month"|"quarter"';
    expect(issueKey('period', zodEnum)).toBe('period');
    expect(issueKey('to', 'from must not be after to')).toBe('fromAfterTo');
    expect(issueKey('to', 'from and to go together')).toBe('fromTo');
    expect(issueKey('target', 'source and target go together')).toBe('sourceTarget');
    expect(issueKey('to', 'to: 2026-12-31 is after today (2026-12-01); choose days up to today')).toBe(
      'future',
    );
    expect(issueKey('from', 'Invalid string: must match pattern /^\\d{4}-\\d{2}-\\d{2}$/')).toBe('date');
    expect(issueKey('bogus', 'Unrecognized key: "bogus"')).toBe('unknown');
    expect(issueKey('metric', 'whatever')).toBe('other');
  });

  it('reads the parameter problems out of a server error', () => {
    expect(serverIssues('from must not be after to')).toBeNull();
    expect(serverIssues('to: 2026-12-31 is after today (2026-12-01); choose days up to today')).toEqual([
      { param: 'to', message: '2026-12-31 is after today (2026-12-01); choose days up to today' },
    ]);
    const zod = JSON.stringify([
      { code: 'invalid_value', path: ['period'], message: 'Invalid option: expected one of "7d"|"30d"' },
      { code: 'custom', path: ['to'], message: 'from must not be after to' },
    ]);
    expect(serverIssues(zod)?.map((i) => issueKey(i.param, i.message))).toEqual(['period', 'fromAfterTo']);
  });

  it('a procedure input that nests the filter names the parameter, not its path', () => {
    // What /incidents receives for ?from=2026-11-20&to=2026-11-01 (input { filter, limit }).
    const zod = JSON.stringify([
      { code: 'custom', path: ['filter', 'from'], message: '"from" must not be after "to"' },
    ]);
    expect(serverIssues(zod)).toEqual([{ param: 'from', message: '"from" must not be after "to"' }]);
    expect(issueKey('from', '"from" must not be after "to"')).toBe('fromAfterTo');
  });
});
