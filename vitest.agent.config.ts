import { defineConfig } from 'vitest/config';

/**
 * `npm run test:agent`: the diagnosis agent against real servers (test/agent/live/): a real Prometheus with the
 * sick-day fixture, prometheus-mcp and kubernetes-mcp-server from npm. Kept out of `npm test` because it starts
 * processes and takes about a minute and a half.
 */
export default defineConfig({
  test: {
    include: ['test/agent/live/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
