import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_DIRS = ['app', 'server', 'domain', 'db', 'chain/compiled'];
const SOURCE_FILES = ['next.config.js', 'package.json'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds the Next.js production bundle when there is none or a source file is newer than it. */
export function ensureWebBuild(say: (s: string) => void): void {
  const marker = '.next/BUILD_ID';
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  const sources = Math.max(
    ...SOURCE_DIRS.filter((d) => existsSync(d)).map(newestMtime),
    ...SOURCE_FILES.filter((f) => existsSync(f)).map(newestMtime),
  );
  if (built > sources) return;
  say('building the web app (next build; a few minutes on 2 cores)…');
  const r = spawnSync('npx', ['next', 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error('next build failed (see above)');
}
