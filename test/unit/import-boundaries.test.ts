import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaryConfigs, IMPORT_GRAPH } from '../../eslint.boundaries.mjs';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, 'test/fixtures/boundaries');

/** The fixture's text and the path it pretends to live at (its first line). */
function fixture(name: string): { code: string; filePath: string } {
  const code = readFileSync(join(fixtures, name), 'utf8');
  const m = /^\/\/ linted as: (\S+)/.exec(code);
  if (!m?.[1]) throw new Error(`${name} does not say where it is linted as`);
  return { code, filePath: join(root, m[1]) };
}

// Only the boundary blocks, parsed without type information: the project's full config needs every
// linted file in the TypeScript project, which a fixture at a pretend path is not. The last test
// checks that the full config carries the very same blocks.
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } },
    ...boundaryConfigs(),
  ],
});

async function boundaryErrors(name: string): Promise<{ line: number; message: string }[]> {
  const { code, filePath } = fixture(name);
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error('no lint result');
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.map((m) => ({ line: m.line, message: m.message }));
}

describe('import boundaries (DESIGN §7)', () => {
  it('workers/ importing server/ by a relative path is an error; its own subfolder is not', async () => {
    const errors = await boundaryErrors('workers-imports-server.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.message).toContain("'../../server/permissions' import is restricted");
    expect(errors[0]?.message).toContain('workers/ may import only db/, chain/, domain/');
  });

  it('workers/ importing app/ through the ~/ alias is an error; ~/domain is allowed', async () => {
    const errors = await boundaryErrors('workers-imports-app-by-alias.ts');
    expect(errors.map((e) => e.line)).toEqual([2]);
    expect(errors[0]?.message).toContain("'~/app/_i18n/messages'");
  });

  it('app/ importing workers/ is an error; app/ importing server/ is allowed', async () => {
    const errors = await boundaryErrors('app-imports-workers.tsx');
    expect(errors.map((e) => e.line)).toEqual([2]);
    expect(errors[0]?.message).toContain('app/ may import only server/, domain/');
  });

  it('server/ importing workers/ is an error; server/ importing db/ is allowed', async () => {
    const errors = await boundaryErrors('server-imports-workers.ts');
    expect(errors.map((e) => e.line)).toEqual([2]);
  });

  it('domain/ imports no folder', async () => {
    const errors = await boundaryErrors('domain-imports-db.ts');
    expect(errors.map((e) => e.line)).toEqual([2]);
    expect(errors[0]?.message).toContain('domain/ imports no other folder');
  });

  it('allowed imports, and a same-named subfolder reached by a shorter climb, pass', async () => {
    expect(await boundaryErrors('allowed.ts')).toEqual([]);
  });

  it('the fixtures cover every case above and nothing else', () => {
    expect(readdirSync(fixtures).sort()).toEqual([
      'README.md',
      'allowed.ts',
      'app-imports-workers.tsx',
      'domain-imports-db.ts',
      'server-imports-workers.ts',
      'workers-imports-app-by-alias.ts',
      'workers-imports-server.ts',
    ]);
  });

  it("the project's ESLint config applies the same rule to every folder of the graph", async () => {
    const project = new ESLint({ cwd: root });
    for (const folder of Object.keys(IMPORT_GRAPH)) {
      for (const path of [`${folder}/a.ts`, `${folder}/x/y/z.tsx`]) {
        const expected = boundaryConfigs().find(
          (c) => c.name === `boundaries/${folder}/depth-${path.split('/').length - 1}`,
        );
        const wanted = expected?.rules?.['no-restricted-imports'];
        if (!Array.isArray(wanted)) throw new Error(`no boundary block for ${path}`);
        const config = (await project.calculateConfigForFile(join(root, path))) as Linter.Config;
        // ESLint reports the severity as a number ('error' → 2); the options must be the same.
        expect(config.rules?.['no-restricted-imports'], path).toEqual([2, ...wanted.slice(1)]);
      }
    }
  });
});
