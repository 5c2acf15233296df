import type { BuildOptions } from 'esbuild';
import { resolve } from 'node:path';

// The bastion agent as one ESM file: everything it imports (AWS SDK, Kubernetes client, yaml, zod)
// is inside, so a bastion needs only Node.js — no checkout, no node_modules, no tsx.

export const agentOutfile = 'dist/agent/changeflow-agent.mjs';

/** The Node.js the bastion may run: the oldest line package.json's engines allow. */
export const agentTarget = 'node20.19';

/** Issue 18: the artifact an operator copies to a bastion stays small enough to review and ship. */
export const agentBudgetBytes = 10 * 1024 * 1024;

export function agentBuildOptions(root: string, outfile: string = resolve(root, agentOutfile)): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: [resolve(root, 'agent/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: agentTarget,
    // Readable on the bastion (stack traces name real functions); the size budget has room.
    minify: false,
    sourcemap: false,
    mainFields: ['module', 'main'],
    // CommonJS dependencies call require() for Node built-ins; ESM output has none unless made.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  };
}
