import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { WorkerEnv } from '../workers/env';

/** One command of DESIGN §3. `run` returns the JSON to print (or nothing) and throws on failure. */
export interface CliCommand {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  run(ctx: {
    env: WorkerEnv;
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
  }): Promise<unknown>;
}

/** A failure whose message is the whole story for the operator (no stack trace printed). */
export class CliError extends Error {}

export function parseCommandArgs(cmd: CliCommand, argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: cmd.options,
      allowPositionals: cmd.allowPositionals ?? false,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    throw new CliError(`${(e as Error).message} (usage: ${cmd.usage})`);
  }
}

export function requireString(values: Record<string, unknown>, key: string, usage: string): string {
  const v = values[key];
  if (typeof v !== 'string' || v.length === 0) throw new CliError(`--${key} is required (usage: ${usage})`);
  return v;
}

export function intOption(values: Record<string, unknown>, key: string, fallback?: number): number {
  const v = values[key];
  if (v === undefined) {
    if (fallback === undefined) throw new CliError(`--${key} is required`);
    return fallback;
  }
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n))
    throw new CliError(`--${key} must be an integer, got "${typeof v === 'string' ? v : JSON.stringify(v)}"`);
  return n;
}
