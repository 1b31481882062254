/**
 * An endpoint URL fit for a log line or an error message: user, password, query and fragment are
 * dropped, since hosted RPC endpoints often carry an API key there.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
