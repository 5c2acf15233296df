import type { BuildOptions } from 'esbuild';
import { resolve } from 'node:path';

// The lab `cilium` executable (local/lab/cilium-cli) as one file, plain node starting it without
// compiling TypeScript on each call. The lab runs dist/lab/cilium.mjs while it is fresh, else a
// build of its own under the temp dir (local/lab/cilium-executable.ts).

export const ciliumLabOutfile = 'dist/lab/cilium.mjs';

/** The sources esbuild read, written beside the executable so a stale build can be detected. */
export function ciliumLabInputsOf(outfile: string): string {
  return outfile.replace(/\.mjs$/, '.inputs.json');
}

export function ciliumLabBuildOptions(root: string, outfile: string = resolve(root, ciliumLabOutfile)): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: [resolve(root, 'local/lab/cilium-cli/main.ts')],
    outfile,
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
