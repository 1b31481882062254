// Prints the node arguments `npm run cli` runs the CLI with: the compiled bundle (`dist/main.js`,
// made by `npm run build:cli` or `npm run build`) while it is newer than every file it could have
// been built from, else the TypeScript sources through tsx. The sources cost the TypeScript loader
// at every start: the `index` command's modules load in 1.9–2.3 s through it against 0.4 s
// bundled, which on a sparse chain is a third of the run. An edited, added or deleted source (its
// folder's time moves too) means the sources again. Plain JavaScript: it runs before any loader.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'main.js');
/** Top-level entries never bundled into the CLI: generated, installed, or tests and documents. */
const SKIP = new Set([
  'node_modules',
  '.git',
  '.next',
  'dist',
  'var',
  'test',
  'test-artifacts',
  'bench',
  'docs',
  'deploy',
  'coverage',
]);

/** The files at the top that the bundle depends on (the rest there are documents and settings). */
const ROOT_FILES = new Set(['package.json', 'package-lock.json', 'tsconfig.json']);

/** The newest modification time (ms) under `dir`, folders included, or past `limit` at once. */
function newestUnder(dir, limit) {
  // The top folder's own time moves whenever var/, .next or dist/ appear: not a source change.
  let newest = dir === root ? 0 : statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (dir === root && (entry.isDirectory() ? SKIP.has(entry.name) : !ROOT_FILES.has(entry.name))) continue;
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestUnder(path, limit) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
    if (newest > limit) return newest;
  }
  return newest;
}

function compiledIsCurrent() {
  try {
    const built = statSync(compiled).mtimeMs;
    return newestUnder(root, built) <= built;
  } catch {
    return false; // not built, or a file vanished while it was looked at
  }
}

process.stdout.write(compiledIsCurrent() ? 'dist/main.js' : '--import tsx cli/main.ts');
