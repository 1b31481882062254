// The one-way import graph of DESIGN §7, enforced by ESLint's own `no-restricted-imports` (no plugin
// and no resolver to keep in step). docs/architecture.md draws the same graph; change both together.
//
// A folder may import itself and the folders listed for it; every other top-level folder is
// refused. Folders not listed here (test/, bench/, the root config files) may import anything.
export const IMPORT_GRAPH = {
  domain: [],
  chain: ['domain'],
  db: ['domain'],
  workers: ['db', 'chain', 'domain'],
  server: ['db', 'domain'],
  app: ['server', 'domain'],
  cli: ['workers', 'server', 'db', 'chain', 'domain'],
};

/** Every top-level source folder an import can reach (test/ and bench/ included: no product code
 * may import them). */
export const TOP_FOLDERS = ['app', 'bench', 'chain', 'cli', 'db', 'domain', 'server', 'test', 'workers'];

// A relative import names a top-level folder only when it climbs exactly as many `../` as the file
// is deep (`../../server/x` from `workers/jobs/a.ts`; `../chain/x` there is workers/chain/). So the
// rule is generated per depth; deeper trees than this do not exist.
const MAX_DEPTH = 8;

/** Flat-config blocks, one per folder and depth, so each file matches exactly one of them (flat
 * config replaces, not merges, a rule's options when two blocks match). */
export function boundaryConfigs() {
  const blocks = [];
  for (const [folder, allowed] of Object.entries(IMPORT_GRAPH)) {
    const refused = TOP_FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
    const names = refused.join('|');
    const message =
      allowed.length === 0
        ? `${folder}/ imports no other folder (DESIGN §7, docs/architecture.md).`
        : `${folder}/ may import only ${allowed.map((f) => `${f}/`).join(', ')} (DESIGN §7, docs/architecture.md).`;
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      blocks.push({
        name: `boundaries/${folder}/depth-${depth}`,
        files: [`${folder}/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                { regex: `^~/(${names})(/|$)`, message },
                { regex: `^(\\.\\./){${depth}}(${names})(/|$)`, message },
              ],
            },
          ],
        },
      });
    }
  }
  return blocks;
}
