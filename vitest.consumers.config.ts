import { defineConfig } from 'vitest/config';

/** `npm run test:consumers`: the packed package installed into fresh apps (needs `npm run build` first). */
export default defineConfig({
  test: {
    include: ['test/consumers/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
