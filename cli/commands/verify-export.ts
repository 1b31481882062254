import { access } from 'node:fs/promises';
import { createPublicClient, http } from 'viem';
import { manifestLinesOfFile } from '../../server/evidence/manifest-reader';
import { verifyExport } from '../../server/exports/verify';
import { CliError, type CliCommand } from '../command';

const usage = 'verify-export FILE MANIFEST [--rpc URL]';

/**
 * Checks an export against its signed manifest and the chain at --rpc (default CHAIN_RPC_URL):
 * signature, file hashes, every row against its evidence line, every event re-read from the node.
 * Prints `{ ok, signatureOk, signer, fileHashOk, rows, checked, problems }`; exits 1 on any problem.
 */
export const verifyExportCommand: CliCommand = {
  name: 'verify-export',
  usage,
  options: { rpc: { type: 'string' } },
  allowPositionals: true,
  async run({ env, values, positionals }) {
    const [file, manifestPath] = positionals;
    if (!file || !manifestPath || positionals.length !== 2)
      throw new CliError(`expected FILE and MANIFEST (usage: ${usage})`);
    for (const f of [file, manifestPath])
      await access(f).catch(() => {
        throw new CliError(`cannot read ${f}`);
      });
    const rpc = typeof values.rpc === 'string' ? values.rpc : env.CHAIN_RPC_URL;
    const client = createPublicClient({ transport: http(rpc, { batch: { batchSize: 100 } }) });
    const result = await verifyExport({ file, manifestLines: manifestLinesOfFile(manifestPath), client });
    if (!result.ok) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      const first = result.problems[0];
      throw new CliError(
        `verification failed: ${result.problems.length} problem(s); first: ${first?.row ? `row ${first.row}: ` : ''}${first?.reason ?? ''}`,
      );
    }
    return result;
  },
};
