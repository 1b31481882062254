import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('db/migrations', () => {
  it('hold every change of db/schema (drizzle-kit generate has nothing to add)', () => {
    const root = resolve(__dirname, '../..');
    const dir = mkdtempSync(join(tmpdir(), 'lj-drift-'));
    const out = join(dir, 'migrations');
    cpSync(join(root, 'db/migrations'), out, { recursive: true });
    const config = join(dir, 'drizzle.config.json');
    // drizzle-kit resolves `out` against the working directory, and exits 0 even when it fails:
    // its output is checked as well as the folder.
    writeFileSync(
      config,
      JSON.stringify({ dialect: 'postgresql', schema: './db/schema/index.ts', out: relative(root, out) }),
    );
    const before = readdirSync(out).filter((f) => f.endsWith('.sql'));
    const output = execFileSync('npx', ['drizzle-kit', 'generate', '--config', config, '--name', 'drift'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toContain('No schema changes');
    const after = readdirSync(out).filter((f) => f.endsWith('.sql'));
    expect(after, 'run: npx drizzle-kit generate --name <change>').toEqual(before);
  });
});
