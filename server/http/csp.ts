/**
 * The Content Security Policy of every page: scripts only from this origin or carrying the
 * request's nonce ('strict-dynamic' lets those load Next.js's chunks), so an injected inline script
 * does not run. Styles keep 'unsafe-inline': ECharts and React set style attributes, which a nonce
 * cannot cover, and styles cannot run code. 'unsafe-eval' only in development (React refresh).
 */
export function pageCsp(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** 128 random bits, base64: unguessable per request. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
