import { readFile } from 'node:fs/promises';
import { createPublicClient, http } from 'viem';
import type { ExportManifest } from '../../server/exports/manifest';
import { verifyExport } from '../../server/exports/verify';
import { CliError, type CliCommand } from '../command';

const usage = 'verify-export FILE MANIFEST';

/**
 * Checks an export against its manifest and the chain at CHAIN_RPC_URL. Prints
 * `{ ok, fileHashOk, checked, failed }` and exits 1 when anything fails.
 */
export const verifyExportCommand: CliCommand = {
  name: 'verify-export',
  usage,
  options: {},
  allowPositionals: true,
  async run({ env, positionals }) {
    const [file, manifestPath] = positionals;
    if (!file || !manifestPath || positionals.length !== 2)
      throw new CliError(`expected FILE and MANIFEST (usage: ${usage})`);
    let manifest: ExportManifest;
    try {
      manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ExportManifest;
    } catch (e) {
      throw new CliError(`cannot read manifest ${manifestPath}: ${(e as Error).message}`);
    }
    if (!Array.isArray(manifest.evidence) || typeof manifest.sha256 !== 'string') {
      throw new CliError(`${manifestPath} is not an export manifest (no sha256 or evidence)`);
    }
    const client = createPublicClient({ transport: http(env.CHAIN_RPC_URL, { batch: { batchSize: 100 } }) });
    const result = await verifyExport({ file, manifest, client });
    if (!result.ok) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      throw new CliError(
        `verification failed: ${result.failed.length} problem(s)${result.fileHashOk ? '' : ', file hash differs'}`,
      );
    }
    return result;
  },
};
