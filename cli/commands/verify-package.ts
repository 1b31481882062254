import { readFile } from 'node:fs/promises';
import { createPublicClient, http } from 'viem';
import { verifyEvidenceZip } from '../../server/evidence/verify-package';
import { CliError, type CliCommand } from '../command';

const usage = 'verify-package ZIP [--rpc URL]';

/**
 * Checks an incident's evidence package: signature, every file's SM3 and SHA-256, nothing
 * unsealed in the ZIP, and every event re-read from the node at --rpc (default CHAIN_RPC_URL) —
 * contract, topic0 and every stated field. Exits 1 naming the first problem.
 */
export const verifyPackageCommand: CliCommand = {
  name: 'verify-package',
  usage,
  options: { rpc: { type: 'string' } },
  allowPositionals: true,
  async run({ env, values, positionals }) {
    const [zipPath] = positionals;
    if (!zipPath || positionals.length !== 1) throw new CliError(`expected ZIP (usage: ${usage})`);
    const zip = await readFile(zipPath).catch(() => {
      throw new CliError(`cannot read ${zipPath}`);
    });
    const rpc = typeof values.rpc === 'string' ? values.rpc : env.CHAIN_RPC_URL;
    const client = createPublicClient({ transport: http(rpc, { batch: { batchSize: 100 } }) });
    const result = await verifyEvidenceZip({ zip, client });
    if (!result.ok) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      const first = result.problems[0];
      throw new CliError(
        `verification failed: ${result.problems.length} problem(s); first: ${first?.row ? `event ${first.row}: ` : ''}${first?.reason ?? ''}`,
      );
    }
    return result;
  },
};
