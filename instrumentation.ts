/**
 * Next.js calls `register` once when a server instance starts: the web's configuration is checked
 * there, before any request (server/startup-check.ts). Only in the Node.js runtime, which reads
 * the environment the operator set.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { checkWebEnvOrExit } = await import('./server/startup-check');
  checkWebEnvOrExit(process.env);
}
