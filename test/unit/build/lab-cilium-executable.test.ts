import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ciliumLabInputsOf, ciliumLabOutfile } from '../../../build/cilium-lab-build-options.js';
import { labBuiltCilium, labCiliumExecutable } from '../../../local/lab/cilium-executable.js';

// The lab runs a built `cilium` (plain node, no tsx): `npm run build`'s while it is as new as its
// sources, else one it builds under the temp dir (never the work tree) and rebuilds when stale — an
// edit must reach the agent, not hide behind an old file. Times are set, not waited for; the
// builder is a stand-in that writes an empty file with its inputs list and counts its calls.

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

const inputs = ['local/lab/cilium-cli/main.ts', 'shared/x.ts'];

function countingBuild(): { calls: string[]; build: (root: string, outfile: string) => Promise<void> } {
  const calls: string[] = [];
  return {
    calls,
    build: async (_root, outfile) => {
      calls.push(outfile);
      await mkdir(dirname(outfile), { recursive: true });
      await writeFile(outfile, '');
      await writeFile(ciliumLabInputsOf(outfile), JSON.stringify(inputs));
    },
  };
}

describe('labCiliumExecutable', () => {
  it('builds its own under the temp dir when nothing was built, then reuses it', async () => {
    const dir = await tree({ 'local/lab/cilium-cli/main.ts': t0, 'shared/x.ts': t0 });
    const builder = countingBuild();
    const own = labBuiltCilium(dir);
    expect(own.startsWith(tmpdir())).toBe(true);
    expect(await labCiliumExecutable(dir, builder.build)).toBe(own);
    expect(await labCiliumExecutable(dir, builder.build)).toBe(own);
    expect(builder.calls).toEqual([own]);
  });

  it("runs npm run build's executable when it is newer than every source it was built from", async () => {
    const dir = await tree({ 'local/lab/cilium-cli/main.ts': t0, 'shared/x.ts': t0, [ciliumLabOutfile]: t1 });
    await writeFile(join(dir, ciliumLabInputsOf(ciliumLabOutfile)), JSON.stringify(inputs));
    const builder = countingBuild();
    expect(await labCiliumExecutable(dir, builder.build)).toBe(join(dir, ciliumLabOutfile));
    expect(builder.calls).toEqual([]);
  });

  it.each([
    ['a source was edited after the build', { 'local/lab/cilium-cli/main.ts': t1, 'shared/x.ts': t0, [ciliumLabOutfile]: t0 }],
    ['a source it was built from is gone', { 'local/lab/cilium-cli/main.ts': t0, [ciliumLabOutfile]: t1 }],
  ])('builds afresh when %s', async (_, files) => {
    const dir = await tree(files);
    await writeFile(join(dir, ciliumLabInputsOf(ciliumLabOutfile)), JSON.stringify(inputs));
    const builder = countingBuild();
    expect(await labCiliumExecutable(dir, builder.build)).toBe(labBuiltCilium(dir));
    expect(builder.calls).toEqual([labBuiltCilium(dir)]);
  });

  it('builds once for callers that ask at the same time', async () => {
    const dir = await tree({ 'local/lab/cilium-cli/main.ts': t0 });
    const builder = countingBuild();
    await Promise.all([labCiliumExecutable(dir, builder.build), labCiliumExecutable(dir, builder.build)]);
    expect(builder.calls).toEqual([labBuiltCilium(dir)]);
  });
});
