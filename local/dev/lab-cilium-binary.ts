import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as z from 'zod';
import { ciliumLabInputsFile, ciliumLabOutfile } from '../../build/cilium-lab-build-options.js';

// Which lab `cilium` executable the dev stack hands its agent: the built one (`npm run build`,
// plain node, no TypeScript to compile on each of the agent's many calls) when it is at least as
// new as every source esbuild read for it, else bin/cilium-lab.mjs from the sources — so an edit
// made after a build is never hidden behind a stale file.

const BuiltInputs = z.array(z.string().min(1));

export async function labCiliumBinary(repoRoot: string): Promise<string> {
  const fromSources = resolve(repoRoot, 'bin/cilium-lab.mjs');
  const builtPath = resolve(repoRoot, ciliumLabOutfile);
  let builtAt: number;
  let inputs: string[];
  try {
    builtAt = (await stat(builtPath)).mtimeMs;
    inputs = BuiltInputs.parse(JSON.parse(await readFile(resolve(repoRoot, ciliumLabInputsFile), 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fromSources;
    throw err;
  }
  // A source that is gone (moved, deleted) means the build is older than the tree: stale.
  const times = await Promise.all(inputs.map((input) => stat(resolve(repoRoot, input)).then((s) => s.mtimeMs, () => Number.POSITIVE_INFINITY)));
  return times.every((t) => t <= builtAt) ? builtPath : fromSources;
}
