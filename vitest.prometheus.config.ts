import { defineConfig } from 'vitest/config';

/**
 * `npm run test:prometheus`: the proof against a real Prometheus (test/prometheus/). Kept out of the main
 * `vitest.config.ts` because it starts processes and takes about a minute; files run one after the other so
 * Prometheus gets the CPU.
 */
export default defineConfig({
  test: {
    include: ['test/prometheus/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
