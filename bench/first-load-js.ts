import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

interface RscManifest {
  entryJSFiles?: Record<string, string[]>;
}

function manifests(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...manifests(p));
    else if (e === 'page_client-reference-manifest.js') out.push(p);
  }
  return out;
}

/**
 * First-load JavaScript per route, from the production build: the root main chunks plus every
 * chunk the route's page and layouts name, in bytes as served and gzipped (what the network
 * carries). Needs `next build` to have run.
 */
export function runFirstLoadJsBench(): Record<string, number> {
  const root = '.next';
  if (!existsSync(join(root, 'BUILD_ID'))) throw new Error('no production build: run `npx next build` first');
  const build = JSON.parse(readFileSync(join(root, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles: string[];
  };
  const out: Record<string, number> = {};
  for (const file of manifests(join(root, 'server', 'app'))) {
    const sandbox = { globalThis: {} as { __RSC_MANIFEST?: Record<string, RscManifest> } };
    runInNewContext(readFileSync(file, 'utf8'), sandbox);
    const entries = Object.values(sandbox.globalThis.__RSC_MANIFEST ?? {});
    const chunks = new Set<string>(build.rootMainFiles);
    for (const m of entries)
      for (const list of Object.values(m.entryJSFiles ?? {})) for (const c of list) chunks.add(c);
    let raw = 0;
    let gz = 0;
    for (const c of chunks) {
      const p = join(root, c.replace(/^\/_next\//, ''));
      if (!existsSync(p)) continue;
      const buf = readFileSync(p);
      raw += buf.length;
      gz += gzipSync(buf).length;
    }
    const route =
      '/' +
      relative(join(root, 'server', 'app'), file)
        .replace(/\/?page_client-reference-manifest\.js$/, '')
        .replace(/\([^)]*\)\/?/g, '')
        .replace(/\/$/, '');
    const key =
      route === '/'
        ? 'root'
        : route
            .slice(1)
            .replace(/[^A-Za-z0-9]+/g, '_')
            .replace(/^_+|_+$/g, '');
    out[`first_load_js_${key}_kb`] = Math.round(raw / 1024);
    out[`first_load_js_${key}_gzip_kb`] = Math.round(gz / 1024);
  }
  return out;
}
