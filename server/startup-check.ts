import { parseWebEnv } from './env';

/**
 * Fail fast on bad configuration: called once when the web server starts (instrumentation.ts).
 * A server that starts with, say, no AUTH_SECRET in production answers 500 to every request,
 * /api/health included, and looks alive to a process manager; instead it prints one line and exits
 * non-zero, so systemd shows the reason and the load balancer never sees it.
 */
export function checkWebEnvOrExit(
  source: Record<string, string | undefined>,
  io: { write: (line: string) => void; exit: (code: number) => void } = {
    write: (line) => process.stderr.write(line),
    exit: (code) => process.exit(code),
  },
): boolean {
  try {
    parseWebEnv(source);
    return true;
  } catch (e) {
    io.write(`lianjian web: ${(e as Error).message}\n`);
    io.exit(78); // EX_CONFIG
    return false;
  }
}
