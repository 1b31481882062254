import { defineConfig } from 'vitest/config';

/**
 * Files that judge time, processes or the machine: killed workers and their hand-back, signals,
 * hedged and stalled reads, failovers, rate limits, several hosts. They run after the rest, one
 * at a time, so a neighbour's load never decides their outcome.
 */
const ALONE = [
  'test/integration/fault-random.test.ts',
  'test/integration/indexer-faults.test.ts',
  'test/integration/indexer-processes.test.ts',
  'test/integration/worker-signals.test.ts',
  'test/integration/wake-successor.test.ts',
  'test/integration/multi-host.test.ts',
  'test/integration/chain-reader-hedge.test.ts',
  'test/integration/redis-sentinel.test.ts',
  'test/integration/read-replica.test.ts',
  'test/integration/security-limits.test.ts',
  'test/integration/live-clock.test.ts',
  'test/integration/alerts-webhook.test.ts',
  'test/integration/mail.test.ts',
];

const shared = {
  testTimeout: 120_000,
  hookTimeout: 120_000,
  // expect.poll waits for a page or a worker to reach an exact state; its default second was a
  // bet on the machine's load (a browser list filtered under load took longer and failed).
  expect: { poll: { timeout: 20_000, interval: 100 } },
};

export default defineConfig({
  // The `~/<folder>/*` aliases of tsconfig.json (Next.js and tsx read them from there too).
  resolve: { tsconfigPaths: true },
  test: {
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure functions: the files of a worker share their imports instead of each importing
          // the same modules again (most of a unit file's time was its imports).
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          ...shared,
        },
      },
      {
        extends: true,
        test: {
          name: 'side-by-side',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          exclude: ALONE,
          // Every file makes its own databases, Redis prefixes, anvil and web ports, so two run at
          // once: most of a file's time is spent waiting on Postgres, anvil, Chromium or a timer.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          ...shared,
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          ...shared,
        },
      },
    ],
  },
});
