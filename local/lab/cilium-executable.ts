import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from '../../shared/zod.js';
import { ciliumLabInputsOf, ciliumLabOutfile } from '../../build/cilium-lab-build-options.js';
import { sha256Hex } from '../../shared/canonical-json.js';

// The lab `cilium` executable the lab hands its agent and its users: built with esbuild like a
// real binary (build/cilium-lab-build-options.ts), so that each of the agent's many calls starts
// plain node on one file instead of compiling TypeScript through tsx (0.66 s a `cilium status`
// when it did). `npm run build`'s dist/lab/cilium.mjs is used while it is at least as new as
// every source esbuild read for it; otherwise the lab builds its own under the temp dir (never
// into the work tree, which `npm test` keeps clean) and rebuilds that one when it goes stale —
// an edit made after a build is never hidden behind an old file.

const BuiltInputs = z.array(z.string().check(z.minLength(1)));

/** Builds the executable at `outfile`; build/cilium-lab.ts normally, a stand-in in tests. */
export type BuildCiliumLab = (root: string, outfile: string) => Promise<unknown>;

/** Whether an executable built at `outfile` is there and newer than every source it was built from. */
export async function labCiliumIsFresh(repoRoot: string, outfile: string): Promise<boolean> {
  let builtAt: number;
  let inputs: string[];
  try {
    builtAt = (await stat(outfile)).mtimeMs;
    inputs = BuiltInputs.parse(JSON.parse(await readFile(ciliumLabInputsOf(outfile), 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  // A source that is gone (moved, deleted) means the build is older than the tree: stale.
  const times = await Promise.all(inputs.map((input) => stat(resolve(repoRoot, input)).then((s) => s.mtimeMs, () => Number.POSITIVE_INFINITY)));
  return times.every((t) => t <= builtAt);
}

/** Where the lab keeps the executable it built itself for this checkout. */
export function labBuiltCilium(repoRoot: string): string {
  return join(tmpdir(), 'changeflow-lab-cilium', sha256Hex(resolve(repoRoot)).slice(0, 16), 'cilium.mjs');
}

const readying = new Map<string, Promise<string>>();

/** The path of a fresh lab `cilium` executable, building one first when there is none. */
export function labCiliumExecutable(repoRoot: string, build: BuildCiliumLab = buildWithEsbuild): Promise<string> {
  // Callers in one process share one look and one build; other processes may build too (each
  // renames its file into place, build/cilium-lab.ts).
  const own = labBuiltCilium(repoRoot);
  let ready = readying.get(own);
  if (!ready) {
    ready = (async () => {
      const dist = resolve(repoRoot, ciliumLabOutfile);
      if (await labCiliumIsFresh(repoRoot, dist)) return dist;
      if (!(await labCiliumIsFresh(repoRoot, own))) await build(repoRoot, own);
      return own;
    })().finally(() => readying.delete(own));
    readying.set(own, ready);
  }
  return ready;
}

async function buildWithEsbuild(root: string, outfile: string): Promise<void> {
  // Loaded only when a build is needed: esbuild is a development dependency, like this lab.
  const { buildCiliumLab } = await import('../../build/cilium-lab.js');
  await buildCiliumLab(root, outfile);
}
