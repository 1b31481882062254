import { describe, expect, it } from 'vitest';
import { arrayLiteral } from '~/db/array-literal';

describe('arrayLiteral', () => {
  it('joins numbers and quotes strings', () => {
    expect(arrayLiteral([1, -2, 30000000000])).toBe('{1,-2,30000000000}');
    expect(arrayLiteral(['2026-11-01', '0xab', 'NULL', '', 'a b,{c}'])).toBe(
      '{"2026-11-01","0xab","NULL","","a b,{c}"}',
    );
    expect(arrayLiteral([])).toBe('{}');
  });

  it('leaves to pg what needs escaping or is not a finite number', () => {
    const quoted = ['a', 'say "hi"'];
    expect(arrayLiteral(quoted)).toBe(quoted);
    const slashed = ['a\\b'];
    expect(arrayLiteral(slashed)).toBe(slashed);
    const nan = [1, Number.NaN];
    expect(arrayLiteral(nan)).toBe(nan);
    const mixed = [1, 'a'] as (string | number)[];
    expect(arrayLiteral(mixed)).toBe(mixed);
    const flags = ['t', true] as unknown[];
    expect(arrayLiteral(flags)).toBe(flags);
    const counted = [1, false] as unknown[];
    expect(arrayLiteral(counted)).toBe(counted);
  });

  it('writes nulls unquoted, beside numbers or strings, or alone', () => {
    expect(arrayLiteral([null, 7, null])).toBe('{NULL,7,NULL}');
    expect(arrayLiteral(['a', null, '', 'NULL'])).toBe('{"a",NULL,"","NULL"}');
    expect(arrayLiteral([null, null])).toBe('{NULL,NULL}');
  });

  it('writes booleans as t and f, nulls beside them NULL', () => {
    expect(arrayLiteral([true, false, true])).toBe('{t,f,t}');
    expect(arrayLiteral([false, null])).toBe('{f,NULL}');
  });
});
