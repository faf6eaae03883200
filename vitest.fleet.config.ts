import { defineConfig } from 'vitest/config';

/**
 * `npm run test:fleet`: two leaf Prometheus remote-writing into receivers, the dashboards compared across them, and
 * the receiver-outage fault test (test/fleet-receiver/). Kept out of the main `vitest.config.ts`: it starts
 * processes and takes about five minutes, most of it the two-minute outage.
 */
export default defineConfig({
  test: {
    include: ['test/fleet-receiver/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
