import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Path of the anvil binary shipped by the npm package @foundry-rs/anvil (no download at run time). */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@foundry-rs/anvil-linux-amd64/package.json');
  return join(dirname(pkg), 'bin', 'anvil');
}

export interface AnvilOptions {
  port: number;
  /** File where anvil loads and dumps its state, so a restart resumes the same chain. */
  stateFile?: string;
  /** Seconds between blocks; without it anvil mines one block per transaction. */
  blockTime?: number;
  gasLimit?: bigint;
  chainId?: number;
  /** Unix seconds of the genesis block: the demo starts its chain in the past so simulated days end now. */
  genesisTimestamp?: number;
  quiet?: boolean;
  /** Address to listen on (default 127.0.0.1); tests of several hosts listen on 0.0.0.0. */
  host?: string;
}

export interface AnvilProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startAnvil(opts: AnvilOptions): Promise<AnvilProcess> {
  const args = [
    '--host',
    opts.host ?? '127.0.0.1',
    '--port',
    String(opts.port),
    '--chain-id',
    String(opts.chainId ?? 31337),
    // Batch transactions write thousands of events; a high block gas limit keeps them in one block.
    '--gas-limit',
    String(opts.gasLimit ?? 1_000_000_000n),
    '--code-size-limit',
    '100000',
    '--no-request-size-limit',
  ];
  if (opts.stateFile) args.push('--state', opts.stateFile, '--state-interval', '60');
  if (opts.blockTime) args.push('--block-time', String(opts.blockTime));
  if (opts.genesisTimestamp !== undefined) args.push('--timestamp', String(opts.genesisTimestamp));
  const child = spawn(anvilBinary(), args, {
    stdio: ['ignore', opts.quiet === false ? 'inherit' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`anvil exited with ${child.exitCode}: ${stderr.trim()}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (Date.now() >= deadline) {
    child.kill('SIGKILL');
    throw new Error(`anvil did not answer on ${url} within 20 s`);
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT lets anvil dump its state file before it exits.
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
