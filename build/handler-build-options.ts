import type { BuildOptions } from 'esbuild';
import { resolve } from 'node:path';
import { handlerBundling } from '../cdk/handler-bundling.js';
import { apiHandlers } from '../cdk/handler-modules.js';
import { lambdaSteps } from '../workflows/lambda-steps.js';

// esbuild options for the Lambda handlers, from the same data HandlerFunction gives NodejsFunction
// (cdk/handler-bundling.ts): `npm run build` writes with them, the bundle-size test and
// benchmark measure with them, so neither can drift from what `cdk deploy` ships.

export interface HandlerEntry {
  /** The function's construct id in ChangeflowStack: Step-<key> or Api-<key>. */
  readonly name: string;
  /** Handler module relative to the repository root. */
  readonly entry: string;
}

export function handlerEntries(): HandlerEntry[] {
  return [
    ...Object.entries(lambdaSteps).map(([key, entry]) => ({ name: `Step-${key}`, entry })),
    ...Object.entries(apiHandlers).map(([key, entry]) => ({ name: `Api-${key}`, entry })),
  ];
}

/** One esbuild run over every entry; each output is `<outdir>/<name>/index.mjs`, the file name NodejsFunction puts in its asset. */
export function handlerBuildOptions(entries: readonly HandlerEntry[], root: string, outdir: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: entries.map(({ name, entry }) => ({ in: resolve(root, entry), out: `${name}/index` })),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: handlerBundling.format,
    target: handlerBundling.target,
    minify: handlerBundling.minify,
    sourcemap: handlerBundling.sourceMap,
    mainFields: [...handlerBundling.mainFields],
    external: [...handlerBundling.externalModules],
    banner: { js: handlerBundling.banner },
    metafile: true,
    logLevel: 'silent',
  };
}
