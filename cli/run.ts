/**
 * The commands of `npm run cli -- <command>` (entry: cli/main.ts): each command reads DESIGN §3's
 * variables, prints JSON where it prints data, and on failure prints one line to stderr and exits
 * non-zero.
 */
import { loadWorkerEnv } from '../workers/env';
import { CliError, parseCommandArgs } from './command';
import { COMMANDS } from './commands';

function describe(e: unknown): string {
  if (e instanceof CliError) return e.message;
  const err = e as { shortMessage?: string; message?: string; code?: string };
  // viem errors carry a multi-line message; the short one is the operator's line.
  const msg = err.shortMessage ?? err.message ?? String(e);
  const line = msg.split('\n')[0] ?? msg;
  if (err.code === 'ECONNREFUSED') return `connection refused: ${line}`;
  return line;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const known = COMMANDS.map((c) => c.name).join(', ');
    process.stderr.write(`lianjian: unknown command "${name ?? ''}"; commands: ${known}\n`);
    return 2;
  }
  const cmd = await entry.load();
  try {
    const env = loadWorkerEnv();
    const { values, positionals } = parseCommandArgs(cmd, rest);
    const result = await cmd.run({ env, values, positionals });
    if (result !== undefined) process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  } catch (e) {
    process.stderr.write(`lianjian ${cmd.name}: ${describe(e)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`lianjian: ${describe(e)}\n`);
    process.exit(1);
  },
);
