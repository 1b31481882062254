import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnvilProcess } from '../../chain/anvil';
import { readDeployment } from '../../chain/deployment';
import { CONTRACT_NAMES } from '../../domain/events';
import { rpc, startTestAnvil } from '../helpers/anvil';
import { runCli } from '../helpers/cli';

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
    const { code, stdout, stderr } = await runCli(['deploy', '--out', out], { CHAIN_RPC_URL: anvil.url });
    expect(code, stderr).toBe(0);
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
    const err = await runCli(['deploy', '--out', '/tmp/never.json'], { CHAIN_RPC_URL: 'http://127.0.0.1:9' });
    expect(err.code).toBe(1);
    const stderr = err.stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot reach the chain at http://127.0.0.1:9');
  });
});
