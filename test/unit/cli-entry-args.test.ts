import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm run cli` runs the compiled bundle only while it is newer than every source it could have
 * been built from (cli/entry-args.mjs). Checked on a tree of its own, with times set explicitly.
 */
let root = '';
const T = Date.parse('2026-03-01T00:00:00Z') / 1000;

function tree(): void {
  root = mkdtempSync(join(tmpdir(), 'lj-entry-'));
  mkdirSync(join(root, 'cli'));
  mkdirSync(join(root, 'workers', 'indexer'), { recursive: true });
  copyFileSync('cli/entry-args.mjs', join(root, 'cli', 'entry-args.mjs'));
  for (const f of ['package.json', 'README.md', 'workers/indexer/backfill.ts', 'workers/indexer/gone.ts']) {
    writeFileSync(join(root, f), '');
  }
  for (const p of [
    '',
    'cli',
    'cli/entry-args.mjs',
    'workers',
    'workers/indexer',
    'package.json',
    'README.md',
  ]) {
    at(p, T);
  }
  at('workers/indexer/backfill.ts', T);
  at('workers/indexer/gone.ts', T);
}

function at(path: string, seconds: number): void {
  utimesSync(join(root, path), seconds, seconds);
}

function build(seconds: number): void {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', 'main.js'), '');
  at('dist/main.js', seconds);
}

function choice(): string {
  const r = spawnSync(process.execPath, [join(root, 'cli', 'entry-args.mjs')], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('npm run cli: the compiled CLI while it is current, else the sources', () => {
  it('not built: the sources through tsx', () => {
    tree();
    expect(choice()).toBe('--import tsx cli/main.ts');
  });

  it('built after every source: the bundle; a document edited since does not matter', () => {
    tree();
    build(T + 10);
    at('README.md', T + 20);
    expect(choice()).toBe('dist/main.js');
  });

  it('a source edited after the build, or the lockfile: the sources', () => {
    tree();
    build(T + 10);
    at('workers/indexer/backfill.ts', T + 20);
    expect(choice()).toBe('--import tsx cli/main.ts');
    at('workers/indexer/backfill.ts', T);
    at('package.json', T + 20);
    expect(choice()).toBe('--import tsx cli/main.ts');
  });

  it('a source deleted after the build (its folder changed): the sources', () => {
    tree();
    build(T + 10);
    rmSync(join(root, 'workers/indexer/gone.ts'));
    at('workers/indexer', T + 20);
    expect(choice()).toBe('--import tsx cli/main.ts');
  });
});
