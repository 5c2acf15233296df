import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:scale`: the scale scenario end to end (issue 20), one file, after `npm test` in CI.
// The base settings, with this suite's files only (mergeConfig would add to the base's include).
export default defineConfig({ test: { ...base.test, include: ['test/scale/**/*.test.ts'], exclude: [] } });
