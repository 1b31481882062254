import { dirname, join } from 'node:path';
import { readDeployment } from '../../chain/deployment';
import { SCALE_NAMES, simulate, type ScaleName } from '../../chain/simulate';
import { connectChain } from '../../chain/wallet';
import { CliError, intOption, requireString, type CliCommand } from '../command';

const usage = 'simulate --days N --seed S [--scale small|medium|large]';

export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage,
  options: { days: { type: 'string' }, seed: { type: 'string' }, scale: { type: 'string' } },
  async run({ env, values }) {
    const days = intOption(values, 'days');
    if (days < 1 || days > 3660) throw new CliError(`--days must be between 1 and 3660, got ${days}`);
    const seed = requireString(values, 'seed', usage);
    const scale = (values.scale ?? 'small') as ScaleName;
    if (!SCALE_NAMES.includes(scale))
      throw new CliError(`--scale must be one of ${SCALE_NAMES.join(', ')}, got "${String(values.scale)}"`);
    const deployment = readDeployment(env.DEPLOYMENT_FILE);
    const conn = await connectChain(env.CHAIN_RPC_URL, env.DEPLOYER_PRIVATE_KEY as `0x${string}` | undefined);
    if (conn.chainId !== deployment.chainId) {
      throw new CliError(
        `the chain at ${env.CHAIN_RPC_URL} has id ${conn.chainId}, the deployment file says ${deployment.chainId}`,
      );
    }
    const groundTruthFile = join(dirname(env.DEPLOYMENT_FILE), 'ground-truth.json');
    return simulate({ conn, deployment, days, seed, scale, groundTruthFile });
  },
};
