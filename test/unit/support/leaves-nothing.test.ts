import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tmpLeftovers, workTreeExtras } from '../../support/global-setup.js';

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

  it('sees a temp folder of ours left in the system temp dir (so the teardown check would fail the run), not other programs\' or runs\'', () => {
    const systemTmp = mkdtempSync(join(tmpdir(), 'system-tmp-'));
    try {
      mkdirSync(join(systemTmp, 'changeflow-test-other-run'));
      const before = new Set(readdirSync(systemTmp));
      for (const name of ['changeflow-e2e-timeline-x1', 'facts-both-y2', '.org.chromium.Chromium.z3', 'changeflow-test-abc', 'changeflow-bench-intake-q', 'someone-elses.log', 'kX3_vitest-nanoid-dir']) mkdirSync(join(systemTmp, name));
      expect(tmpLeftovers(systemTmp, before)).toEqual(['.org.chromium.Chromium.z3', 'changeflow-e2e-timeline-x1', 'facts-both-y2']);
    } finally {
      rmSync(systemTmp, { recursive: true, force: true });
    }
  });
});
