import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The `~/<folder>/*` aliases of tsconfig.json (Next.js and tsx read them from there too).
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests share one anvil binary, Postgres and Redis on a 2-core machine:
    // run files one at a time so timing-sensitive tests are not starved.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
