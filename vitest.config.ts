import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
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
  },
});
