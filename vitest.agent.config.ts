import { defineConfig } from 'vitest/config';

/**
 * `npm run test:agent`: the diagnosis agent against real servers (test/agent/live/): a real Prometheus with the
 * sick-day fixture, prometheus-mcp and kubernetes-mcp-server from npm, and the web chat in headless Chromium. Kept out of `npm test` because it starts
 * processes and takes about two minutes and a half on a busy machine.
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
