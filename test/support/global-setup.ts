import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm test` leaves nothing behind: every temp file of the run (stacks, kubeconfigs, Chromium
// profiles, ansible inventories, child processes' files) lands under one folder that goes at the
// end, and the run fails if it wrote anything into the work tree — ignored files included, which
// `git status` alone would not show — or left a folder of its own in the system temp dir (a child
// started without TMPDIR, a path built from '/tmp').

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

/**
 * What this repository's code and tests name their temp files (`mkdtemp(join(tmpdir(), 'changeflow-…'))`,
 * Chromium's profile files). Only these are judged: the machine's temp dir is shared with other
 * programs, other test runs (their own `changeflow-test-*` folder) and benchmarks.
 */
const ours = /^(changeflow-(?!test-|bench)|facts-|worktree-|validate-ticket-|kubectl-fidelity-|cilium-runner-|\.org\.chromium\.)/;

/** Entries of `dir` that are not in `before` and are named as this repository names its temp files. */
export function tmpLeftovers(dir: string, before: ReadonlySet<string>): string[] {
  return readdirSync(dir)
    .filter((name) => !before.has(name) && ours.test(name))
    .sort();
}

export default function setup(): () => void {
  // Vitest calls a global setup once for the root config and once per project (vitest.config.ts),
  // all in this process: the first call makes the run folder, the others keep it. Nesting one
  // per call made Chromium's socket path too long (108 bytes) for it to start.
  const runFolder = process.env['CHANGEFLOW_TEST_TMPDIR'];
  if (runFolder !== undefined && process.env['TMPDIR'] === runFolder) return () => undefined;
  const before = workTreeExtras();
  const systemTmp = tmpdir();
  const tmpBefore = new Set(readdirSync(systemTmp));
  const runTmp = mkdtempSync(join(systemTmp, 'changeflow-test-'));
  // Workers and every child they start inherit it; os.tmpdir() reads TMPDIR at each call.
  process.env['TMPDIR'] = runTmp;
  process.env['CHANGEFLOW_TEST_TMPDIR'] = runTmp;
  return () => {
    rmSync(runTmp, { recursive: true, force: true });
    const leftovers = tmpLeftovers(systemTmp, tmpBefore);
    // A throw here is only logged by vitest; the exit code is what CI reads.
    if (leftovers.length > 0) {
      process.stderr.write(`\nnpm test left temp files outside its run folder, in ${systemTmp}: ${leftovers.join(', ')}\n`);
      process.exitCode = 1;
    }
    const added = [...workTreeExtras()].filter((path) => !before.has(path));
    if (added.length === 0) return;
    process.stderr.write(`\nnpm test wrote into the work tree: ${added.join(', ')}\n`);
    process.exitCode = 1;
  };
}
