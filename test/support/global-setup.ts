import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm test` leaves nothing behind: every temp file of the run (stacks, kubeconfigs, Chromium
// profiles, ansible inventories, child processes' files) lands under one folder that goes at the
// end, and the run fails if it wrote anything into the work tree — ignored files included, which
// `git status` alone would not show.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Untracked and ignored paths of the work tree, as git names them (node_modules aside). */
export function workTreeExtras(root = repoRoot): Set<string> {
  // node_modules is left out by pathspec: listed file by file it is megabytes of output.
  const out = execFileSync('git', ['status', '--porcelain', '--ignored', '--untracked-files=all', '--', '.', ':(exclude)node_modules'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Set(
    out
      .split('\n')
      .filter((line) => line.startsWith('?? ') || line.startsWith('!! '))
      .map((line) => line.slice(3))
      .filter((path) => !path.startsWith('node_modules')),
  );
}

export default function setup(): () => void {
  const before = workTreeExtras();
  const runTmp = mkdtempSync(join(tmpdir(), 'changeflow-test-'));
  // Workers and every child they start inherit it; os.tmpdir() reads TMPDIR at each call.
  process.env['TMPDIR'] = runTmp;
  process.env['CHANGEFLOW_TEST_TMPDIR'] = runTmp;
  return () => {
    rmSync(runTmp, { recursive: true, force: true });
    const added = [...workTreeExtras()].filter((path) => !before.has(path));
    if (added.length === 0) return;
    // A throw here is only logged by vitest; the exit code is what CI reads.
    process.stderr.write(`\nnpm test wrote into the work tree: ${added.join(', ')}\n`);
    process.exitCode = 1;
  };
}
