// @ts-check
// Plain JavaScript (DESIGN §7 names next.config.js): Node loads it without a TypeScript step, so it
// imports no project module; the page policy lives in server/http/csp.ts and proxy.ts.
import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./app/_i18n/request.ts');

/** API responses are data, never documents: nothing may load or frame them. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

// Pages get a per-request nonce policy from proxy.ts; these headers apply everywhere.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  // Ignored by browsers over plain http; effective as soon as the app is served over https.
  { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
];

/** @type {import('next').NextConfig} */
const config = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and Node-only packages stay out of the server bundle.
  serverExternalPackages: [
    '@node-rs/argon2',
    'pg',
    'pg-copy-streams',
    'ioredis',
    'bullmq',
    'pino',
    'pino-pretty',
  ],
  // `npm run check` (tsc + eslint) is the type gate; the build must not fail because a file of
  // another part of the monorepo is mid-change.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // Server actions here carry a login form or a locale: 64 KiB is plenty.
    serverActions: { bodySizeLimit: '64kb' },
    // The build's on-disk cache speeds up the next build of the same checkout; CI builds a clean
    // clone once and throws it away, and writing the cache cost it 50 s to 2 minutes.
    turbopackFileSystemCacheForBuild: process.env.CI !== 'true',
  },
  headers() {
    return Promise.resolve([
      { source: '/:path*', headers: securityHeaders },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
    ]);
  },
};

export default withNextIntl(config);
