import { describe, expect, it } from 'vitest';
import { checkWebEnvOrExit } from '../../server/startup-check';

function run(env: Record<string, string | undefined>) {
  const lines: string[] = [];
  const codes: number[] = [];
  const ok = checkWebEnvOrExit(env, { write: (l) => lines.push(l), exit: (c) => codes.push(c) });
  return { ok, lines, codes };
}

describe('web start-up: bad configuration fails fast with one line', () => {
  it('AUTH_SECRET missing in production: exit 78 and the reason', () => {
    expect(run({ NODE_ENV: 'production' })).toEqual({
      ok: false,
      lines: ['lianjian web: invalid configuration: AUTH_SECRET: AUTH_SECRET is required in production\n'],
      codes: [78],
    });
  });

  it('an invalid URL or a short secret: exit 78 naming the setting', () => {
    const bad = run({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), DATABASE_URL: 'not a url' });
    expect(bad.codes).toEqual([78]);
    expect(bad.lines).toHaveLength(1);
    expect(bad.lines[0]).toMatch(/^lianjian web: invalid configuration: DATABASE_URL: /);
    const short = run({ NODE_ENV: 'production', AUTH_SECRET: 'short' });
    expect(short.lines[0]).toMatch(/AUTH_SECRET: AUTH_SECRET must be at least 32 characters/);
  });

  it('a good configuration starts', () => {
    expect(run({ NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40) })).toEqual({
      ok: true,
      lines: [],
      codes: [],
    });
  });
});
