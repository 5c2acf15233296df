import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ciliumLabInputsFile, ciliumLabOutfile } from '../../../build/cilium-lab-build-options.js';
import { labCiliumBinary } from '../../../local/dev/lab-cilium-binary.js';

// The dev stack runs the built lab `cilium` only while it is as new as its sources: an edit after
// `npm run build` must reach the agent, not hide behind a stale file. Times are set, not waited for.

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, Date>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'changeflow-lab-cilium-'));
  root = dir;
  for (const [path, at] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), '');
    await utimes(join(dir, path), at, at);
  }
  return dir;
}

const t0 = new Date('2026-12-01T10:00:00Z');
const t1 = new Date('2026-12-01T11:00:00Z');

describe('labCiliumBinary', () => {
  it('runs bin/cilium-lab.mjs from the sources when nothing was built', async () => {
    const dir = await tree({ 'local/lab/cilium-cli/main.ts': t0 });
    expect(await labCiliumBinary(dir)).toBe(join(dir, 'bin/cilium-lab.mjs'));
  });

  it('runs the built executable when it is newer than every source it was built from', async () => {
    const dir = await tree({ 'local/lab/cilium-cli/main.ts': t0, 'shared/x.ts': t0, [ciliumLabOutfile]: t1 });
    await writeFile(join(dir, ciliumLabInputsFile), JSON.stringify(['local/lab/cilium-cli/main.ts', 'shared/x.ts']));
    expect(await labCiliumBinary(dir)).toBe(join(dir, ciliumLabOutfile));
  });

  it.each([
    ['a source was edited after the build', { 'local/lab/cilium-cli/main.ts': t1, 'shared/x.ts': t0, [ciliumLabOutfile]: t0 }],
    ['a source it was built from is gone', { 'local/lab/cilium-cli/main.ts': t0, [ciliumLabOutfile]: t1 }],
  ])('falls back to the sources when %s', async (_, files) => {
    const dir = await tree(files);
    await writeFile(join(dir, ciliumLabInputsFile), JSON.stringify(['local/lab/cilium-cli/main.ts', 'shared/x.ts']));
    expect(await labCiliumBinary(dir)).toBe(join(dir, 'bin/cilium-lab.mjs'));
  });
});
