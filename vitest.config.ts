import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The scale scenario's suite runs on its own: `npm run test:scale` (vitest.scale.config.ts).
    exclude: [...configDefaults.exclude, 'test/scale/**'],
    setupFiles: ['test/support/setup.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Most files wait on timers, sockets and child processes rather than the CPU: two at a time
    // on CI's 2 cores (vitest's default would be one).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    projects: [
      {
        extends: true,
        // Pure functions over data, no servers, no env they leave changed: one module graph per
        // worker instead of one per file halves their time (87 → 41 s alone), most of it imports.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        // Stacks, labs, child processes and process.env: every file in a fresh process.
        test: { name: 'system', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/scale/**', 'test/unit/**'] },
      },
    ],
  },
});
