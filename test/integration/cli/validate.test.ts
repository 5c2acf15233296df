import { afterAll, describe, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The real `changeflow` binary, as an operator or CI job runs it; the full table of invalid specs
// goes through the same code in-process (test/unit/spec/invalid-specs.test.ts).
const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
const ticketDir = mkdtempSync(join(tmpdir(), 'changeflow-validate-'));
afterAll(() => rmSync(ticketDir, { recursive: true, force: true }));

async function changeflow(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(root, 'bin/changeflow.mjs'), ...args], { cwd: root });
    return { code: 0, stdout };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
  }
}

// Each case is its own process, so they run side by side.
describe.concurrent('changeflow validate (spawned)', () => {
  it('exits 0 on the onboarding example and prints one line per change', async ({ expect }) => {
    const { code, stdout } = await changeflow('validate', 'examples/onboard-prod-a.yaml');
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'valid: examples/onboard-prod-a.yaml',
      '  mode apply · site dc1 · fabric dc1-aci (tenant k8s-prod-a, l3out prod-a-l3out) · cluster prod-a',
      '  changes[0] bgpPeering       AS 64512 ↔ fabric AS 65001 via 192.168.2.0/24 vlan-300, anchors 101,102, bfd',
      '  changes[1] loadBalancerPool pool-red 10.0.10.0/24 → ext-EPG default_svc',
      '  changes[2] egressGateway    frontend-egress shop → 192.168.3.200 (ESG egress/frontend)',
      '',
    ]);
  });

  it.for<[string, string]>([
    ['test/fixtures/specs/invalid/pools-overlap.yaml', '  changes[1].blocks[1]: block 10.0.0.0/16 overlaps 10.0.10.0/24'],
    ['test/fixtures/specs/invalid/request-window-reversed.json', '  window.end: the window must end after it starts'],
  ])('exits 3 on %s naming the path', async ([file, line], { expect }) => {
    const { code, stdout } = await changeflow('validate', file);
    expect(code).toBe(3);
    expect(stdout.startsWith(`invalid: ${file}\n`)).toBe(true);
    expect(stdout).toContain(line);
  });

  it('exits 3 on a file that does not exist', async ({ expect }) => {
    const { code, stdout } = await changeflow('validate', 'examples/missing.yaml');
    expect(code).toBe(3);
    expect(stdout).toContain('cannot read examples/missing.yaml: no such file');
  });

  it('takes a ServiceNow or Jira ticket file and judges the spec inside it, naming the ticket field of an error (issue 19 item 5)', async ({ expect }) => {
    const snow = await changeflow('validate', 'examples/servicenow-approved.json');
    expect(snow.code).toBe(0);
    expect(snow.stdout).toMatch(/^valid: examples\/servicenow-approved\.json\n {2}ServiceNow ticket, ChangeSpec from u_change_spec\n {2}mode apply /);
    const jira = await changeflow('validate', 'examples/jira-approved.json');
    expect(jira.code).toBe(0);
    expect(jira.stdout).toContain('  Jira ticket, ChangeSpec from description (```yaml block)\n');
    const record = JSON.parse(readFileSync(join(root, 'examples/servicenow-approved.json'), 'utf8')) as Record<string, string>;
    const typo = join(ticketDir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ ...record, u_change_spec: record['u_change_spec']?.replace('blocks:', 'blokcs:') }));
    const bad = await changeflow('validate', typo);
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/u_change_spec: changes\[0\]\.blokcs: unknown field/);
  });

  it('prints {valid, summary} with --json', async ({ expect }) => {
    const { code, stdout } = await changeflow('validate', 'examples/add-pool-blue.yaml', '--json');
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as { valid: boolean; summary: { mode: string; changes: Array<{ type: string; text: string }> } };
    expect(body.valid).toBe(true);
    expect(body.summary.mode).toBe('plan-only');
    expect(body.summary.changes).toEqual([
      { path: 'changes[0]', type: 'loadBalancerPool', state: 'present', text: 'pool-blue 10.0.11.0/25 → ext-EPG default_svc' },
    ]);
  });
});

describe.concurrent('changeflow spec-reference (spawned)', () => {
  it('prints exactly the committed docs/changespec.md', async ({ expect }) => {
    const { code, stdout } = await changeflow('spec-reference');
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(join(root, 'docs/changespec.md'), 'utf8'));
  });
});
