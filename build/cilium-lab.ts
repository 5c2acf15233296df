import { build } from 'esbuild';
import { chmod, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ciliumLabBuildOptions, ciliumLabInputsOf, ciliumLabOutfile } from './cilium-lab-build-options.js';

// Builds dist/lab/cilium.mjs and the list of sources it was read from. Also called by the lab
// (local/lab/cilium-executable.ts) when the build is missing or stale, so it imports nothing
// heavier than esbuild.

export async function buildCiliumLab(root: string, path: string = resolve(root, ciliumLabOutfile)): Promise<{ path: string; bytes: number }> {
  // Labs in several test processes may build at once: each writes by a rename, never in place.
  const result = await build({ ...ciliumLabBuildOptions(root, path), write: false });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${ciliumLabOutfile}`);
  await mkdir(dirname(path), { recursive: true });
  await writeAtomically(path, output.contents, 0o755);
  await writeAtomically(ciliumLabInputsOf(path), `${JSON.stringify(Object.keys(result.metafile.inputs).sort(), null, 2)}\n`);
  return { path, bytes: (await stat(path)).size };
}

async function writeAtomically(path: string, contents: string | Uint8Array, mode?: number): Promise<void> {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, contents);
  if (mode !== undefined) await chmod(temp, mode);
  await rename(temp, path);
}
