#!/usr/bin/env node
// The changeflow command. TypeScript sources run through tsx so that no build step is needed; tsx
// is a devDependency, so the CLI runs from a checkout installed with `npm install`. A bastion runs
// the built agent (npm run build → dist/agent/changeflow-agent.mjs) and needs none of this.
import './polyfills.mjs';

let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  process.stderr.write(
    'changeflow: the CLI runs from a checkout with its development dependencies (tsx): run `npm install` (not --omit=dev); ' +
      'on a bastion, run the built agent instead: node changeflow-agent.mjs --config FILE\n',
  );
  process.exit(3);
}
register();
await import('../cli/main.ts');
