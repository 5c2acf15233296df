import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:scale`: the scale scenario end to end (issue 20), one file, after `npm test` in CI.
// The base settings, with this suite's files only (mergeConfig would add to the base's include),
// and without the base's projects (they would pick the files instead).
const { projects: _projects, ...settings } = base.test ?? {};
export default defineConfig({ test: { ...settings, include: ['test/scale/**/*.test.ts'], exclude: [] } });
