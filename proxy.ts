import { NextResponse, type NextRequest } from 'next/server';
import { newNonce, pageCsp } from './server/http/csp';

/**
 * A fresh CSP nonce for every page request. Next.js reads the policy from the request headers and
 * puts the nonce on its own bootstrap scripts; the browser gets the same policy. Authorisation is
 * not decided here (tRPC procedures and route handlers check every call).
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const csp = pageCsp(nonce, process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  // Pages only: API routes get their own policy from next.config.js, static assets need none.
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
