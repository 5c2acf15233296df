import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlerBuildOptions, handlerEntries, type HandlerEntry } from '../build/handler-build-options.js';
import { bundleBudgetBytes, handlerBundling } from '../cdk/handler-bundling.js';

// Lambda bundle sizes: every handler module bundled by esbuild exactly as the deployed function
// is (cdk/handler-bundling.ts), its minified size against the budget, and what weighs most in it
// (from esbuild's metafile, by package or by repository folder), so an overweight bundle says why.

export interface HandlerBundle {
  /** The function's construct id in ChangeflowStack: Step-<key> or Api-<key>. */
  readonly name: string;
  readonly entry: string;
  readonly bytes: number;
  /** Output bytes by contributor, heaviest first. */
  readonly heaviest: ReadonlyArray<{ readonly from: string; readonly bytes: number }>;
  /** Output bytes by input file, as esbuild's metafile names them (node_modules/…, shared/…). */
  readonly inputs: Readonly<Record<string, number>>;
  /** The bundle's text: what a test looks into for what the function ships. */
  readonly code: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export { handlerEntries };

/** Bundles every entry in one esbuild run (shared inputs are parsed once); no code splitting, so each output is what its function ships. */
export async function bundleHandlers(entries: readonly HandlerEntry[], root: string = repoRoot): Promise<HandlerBundle[]> {
  const result = await build({ ...handlerBuildOptions(entries, root, resolve(root, '.bundle-bench')), write: false });
  return entries.map(({ name, entry }) => {
    const [outPath, meta] = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`/${name}/index.mjs`)) ?? [];
    const output = result.outputFiles.find((f) => outPath !== undefined && f.path.endsWith(outPath));
    if (!meta || !output) throw new Error(`esbuild produced no output for ${entry} (${name}); outputs: ${Object.keys(result.metafile.outputs).join(', ')}`);
    const byOrigin = new Map<string, number>();
    const inputs: Record<string, number> = {};
    for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
      const origin = originOf(input);
      byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + bytesInOutput);
      inputs[input] = bytesInOutput;
    }
    const heaviest = [...byOrigin].map(([from, bytes]) => ({ from, bytes })).sort((a, b) => b.bytes - a.bytes);
    return { name, entry, bytes: output.contents.byteLength, heaviest, inputs, code: output.text };
  });
}

/** `node_modules/@scope/pkg/…` → `@scope/pkg`; `shared/aci/…` → `shared/aci`. */
function originOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg?.[1]) return pkg[1];
  const parts = input.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : input;
}

export function measureHandlerBundles(root: string = repoRoot): Promise<HandlerBundle[]> {
  return bundleHandlers(handlerEntries(), root);
}

/** Decimal kilobytes, the unit the budget is stated in (issue 18: 300 KB). */
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;

export async function runBundlesBench(log: (line: string) => void = console.log): Promise<HandlerBundle[]> {
  const started = performance.now();
  const bundles = await measureHandlerBundles();
  const seconds = (performance.now() - started) / 1000;
  log(`esbuild ${handlerBundling.format}, ${handlerBundling.target}, minified, ${handlerBundling.externalModules.join(' ')} external; budget ${kb(bundleBudgetBytes)}`);
  const width = Math.max(...bundles.map((b) => b.name.length));
  for (const b of [...bundles].sort((x, y) => y.bytes - x.bytes)) {
    const top = b.heaviest.slice(0, 3).map((h) => `${h.from} ${kb(h.bytes)}`).join(', ');
    const verdict = b.bytes <= bundleBudgetBytes ? 'ok  ' : 'OVER';
    log(`${verdict} ${b.name.padEnd(width)} ${kb(b.bytes).padStart(10)} ${(b.bytes / bundleBudgetBytes).toFixed(2)}× budget  (${top})`);
  }
  const max = bundles.reduce((m, b) => (b.bytes > m.bytes ? b : m));
  const over = bundles.filter((b) => b.bytes > bundleBudgetBytes).length;
  log(`max ${max.name} ${kb(max.bytes)} = ${(max.bytes / bundleBudgetBytes).toFixed(2)}× the ${kb(bundleBudgetBytes)} budget; ${over}/${bundles.length} over; ${bundles.length} bundles in ${seconds.toFixed(1)} s`);
  return bundles;
}
