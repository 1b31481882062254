/**
 * CSRF defence for state-changing requests authenticated by cookie: the browser's Origin header
 * (or, when a browser omits it, Sec-Fetch-Site) must say the request comes from this app. Bearer
 * requests carry no ambient credentials and are exempt. SameSite=Lax cookies are the first line;
 * this is the second.
 */
export function isSameOriginRequest(req: Request, baseUrl: string | undefined): boolean {
  const origin = req.headers.get('origin');
  if (origin === null) return req.headers.get('sec-fetch-site') === 'same-origin';
  return allowedOrigins(req, baseUrl).includes(origin);
}

function allowedOrigins(req: Request, baseUrl: string | undefined): string[] {
  if (baseUrl) return [new URL(baseUrl).origin];
  // No configured public URL: the origin the request was addressed to (Host header).
  const host = req.headers.get('host');
  const proto = new URL(req.url).protocol;
  return host ? [`${proto}//${host}`] : [new URL(req.url).origin];
}

export function hasBearer(req: Request): boolean {
  return /^Bearer\s/i.test(req.headers.get('authorization') ?? '');
}
