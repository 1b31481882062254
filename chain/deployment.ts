import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
// zod/mini: read on every start of the CLI and the workers (see workers/env.ts).
import * as z from 'zod/mini';
import { CONTRACT_NAMES, type ContractName } from '../domain/events';

const address = z.pipe(
  z.string().check(z.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address')),
  z.transform((s: string) => s.toLowerCase() as `0x${string}`),
);

const contractEntry = z.object({ address, startBlock: z.int().check(z.nonnegative()) });

/** The deployment file of DESIGN §3: which address each of the five contracts lives at. */
export const deploymentSchema = z.object({
  chainId: z.int().check(z.positive()),
  contracts: z.object(
    Object.fromEntries(CONTRACT_NAMES.map((n) => [n, contractEntry])) as Record<
      ContractName,
      typeof contractEntry
    >,
  ),
});
export type Deployment = z.output<typeof deploymentSchema>;

export function readDeployment(file: string): Deployment {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read deployment file ${file}: ${(e as Error).message}`);
  }
  const parsed = deploymentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid deployment file ${file}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

export function writeDeployment(file: string, d: Deployment): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(d, null, 2) + '\n');
}

/** The lowest startBlock of the five contracts: where indexing begins. */
export function deploymentStartBlock(d: Deployment): number {
  return Math.min(...CONTRACT_NAMES.map((n) => d.contracts[n].startBlock));
}
