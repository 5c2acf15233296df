import type { BuildOptions } from 'esbuild';
import { resolve } from 'node:path';

// The lab `cilium` executable (local/lab/cilium-cli) as one file. The dev stack runs it instead
// of bin/cilium-lab.mjs when it is at least as new as every source it was built from
// (local/dev/lab-cilium-binary.ts): plain node starts it without compiling TypeScript each call.

export const ciliumLabOutfile = 'dist/lab/cilium.mjs';
/** The sources esbuild read, written beside the executable so a stale build can be detected. */
export const ciliumLabInputsFile = 'dist/lab/cilium.inputs.json';

export function ciliumLabBuildOptions(root: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: [resolve(root, 'local/lab/cilium-cli/main.ts')],
    outfile: resolve(root, ciliumLabOutfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    minify: false,
    sourcemap: false,
    mainFields: ['module', 'main'],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  };
}
