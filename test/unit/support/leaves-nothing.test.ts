import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { workTreeExtras } from '../../support/global-setup.js';

describe('npm test leaves nothing behind', () => {
  it('puts every temp file of the run, in workers and their children, under the run folder', () => {
    const runTmp = process.env['CHANGEFLOW_TEST_TMPDIR'];
    expect(runTmp).toBeTruthy();
    expect(tmpdir()).toBe(runTmp);
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("os").tmpdir())'], { encoding: 'utf8' });
    expect(child).toBe(runTmp);
  });

  it('sees an ignored file appear in a work tree (so the teardown check would fail the run)', () => {
    const repo = mkdtempSync(join(tmpdir(), 'worktree-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: repo });
      writeFileSync(join(repo, '.gitignore'), 'results/\n');
      const before = workTreeExtras(repo);
      execFileSync('mkdir', ['-p', join(repo, 'results')]);
      writeFileSync(join(repo, 'results', 'faults.json'), '{}');
      const added = [...workTreeExtras(repo)].filter((p) => !before.has(p));
      expect(added).toEqual(['results/faults.json']);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
