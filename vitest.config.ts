import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['test/prometheus/**', 'test/fleet-receiver/**', 'test/agent/live/**', 'test/consumers/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files share their worker's module graph instead of importing the library (cdk8s, cdk8s-plus, the
    // generated CRD classes) again each: that import cost about 2 s per file. It also keeps what the support code
    // builds once per worker, such as the compiled schemas of test/support/kube-validate.ts. Safe because no test
    // mocks modules or changes global state it does not restore.
    isolate: false,
    pool: 'threads',
  },
});
