import { connectChain } from '../../chain/wallet';
import { deployContracts } from '../../chain/deploy';
import { writeDeployment } from '../../chain/deployment';
import type { CliCommand } from '../command';

export const deployCommand: CliCommand = {
  name: 'deploy',
  usage: 'deploy [--out FILE]',
  options: { out: { type: 'string' } },
  async run({ env, values }) {
    const out = typeof values.out === 'string' ? values.out : env.DEPLOYMENT_FILE;
    const conn = await connectChain(env.CHAIN_RPC_URL, env.DEPLOYER_PRIVATE_KEY as `0x${string}` | undefined);
    const deployment = await deployContracts(conn);
    writeDeployment(out, deployment);
    return { file: out, ...deployment };
  },
};
