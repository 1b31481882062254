import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AnvilProcess } from '../../chain/anvil';
import { readDeployment } from '../../chain/deployment';
import { CONTRACT_NAMES } from '../../domain/events';
import { rpc, startTestAnvil } from '../helpers/anvil';

const run = promisify(execFile);
let anvil: AnvilProcess;

beforeAll(async () => {
  anvil = await startTestAnvil();
});
afterAll(async () => {
  await anvil.stop();
});

describe('cli deploy', () => {
  it('deploys the five contracts and writes a deployment file that names code on chain', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lj-deploy-')), 'deployment.json');
    const { stdout } = await run('npx', ['tsx', 'cli/main.ts', 'deploy', '--out', out], {
      env: { ...process.env, CHAIN_RPC_URL: anvil.url },
    });
    const printed = JSON.parse(stdout) as { file: string; chainId: number };
    expect(printed.file).toBe(out);
    const d = readDeployment(out);
    expect(d.chainId).toBe(31337);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(d);
    for (const name of CONTRACT_NAMES) {
      const code = await rpc<string>(anvil.url, 'eth_getCode', [d.contracts[name].address, 'latest']);
      expect(code.length, name).toBeGreaterThan(100);
      expect(d.contracts[name].startBlock).toBeGreaterThan(0);
    }
  });

  it('fails with one line naming the unreachable node and exits non-zero', async () => {
    const err = await run('npx', ['tsx', 'cli/main.ts', 'deploy', '--out', '/tmp/never.json'], {
      env: { ...process.env, CHAIN_RPC_URL: 'http://127.0.0.1:9' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    const stderr = (err as { stderr: string }).stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot reach the chain at http://127.0.0.1:9');
  });
});
