import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileContracts, renderCompiled } from '../../chain/compile';

describe('chain/compiled', () => {
  it('is what chain/compile.ts makes of chain/contracts today (run npm run compile:contracts)', () => {
    for (const c of compileContracts()) {
      const committed = readFileSync(join(__dirname, '../../chain/compiled', `${c.name}.ts`), 'utf8');
      expect(committed, c.name).toBe(renderCompiled(c));
    }
  });
});
