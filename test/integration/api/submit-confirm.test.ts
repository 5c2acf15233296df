import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { executionStarted, poolBluePlanDetail, root, startApiStack, webhookSecret, type ApiStack } from './harness.js';

// A manual `mode: apply` through the real `changeflow submit` binary is confirmed like
// `terraform apply`: a plan-only preview runs first, its plan is printed, and only "yes" starts
// the real change. The terminal is a real pty (util-linux `script`); the workflow of the preview
// is played into the table the way the plan step records it.

const run = promisify(execFile);
const scriptPath = '/usr/bin/script';
let stack: ApiStack;
let dir: string;
const bin = join(root, 'bin/changeflow.mjs');

beforeAll(async () => {
  stack = await startApiStack();
  dir = mkdtempSync(join(tmpdir(), 'changeflow-confirm-'));
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify({ api: stack.url, webhookSecret }));
});
afterAll(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const plain = (text: string) => stripVTControlCharacters(text).replace(/\r/g, '');

/** Runs the CLI on a pty; answers `answer` once the question is on screen. */
function onTerminal(args: string[], answer: string): Promise<{ code: number; output: string }> {
  const command = [process.execPath, bin, ...args, '--data-dir', dir].map(shellQuote).join(' ');
  const child = spawn(scriptPath, ['-qec', command, '/dev/null'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let answered = false;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!answered && plain(output).includes('Enter a value:')) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => {
    child.stdin.end();
    resolve({ code: code ?? -1, output: plain(output) });
  }));
}

/** What the workflow records for a plan-only preview that plans one new pool on each side. */
async function playPreview(changeId: string): Promise<void> {
  await executionStarted(stack, changeId);
  await stack.store.changes.create({
    changeId, ticket: { system: 'none', key: '' }, source: 'cli', targets: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' }, requestedBy: 'jane.doe', mode: 'plan-only',
  });
  const append = (type: string, status: 'RECEIVED' | 'PRECHECKING' | 'PLANNED' | undefined, detail: unknown) =>
    stack.store.audit.appendEvent({ changeId, type, status, actor: 'changeflow-workflow', detail });
  await append('change.received', 'RECEIVED', { changes: ['loadBalancerPool pool-blue 10.0.11.0/25'], mode: 'plan-only' });
  await stack.store.changes.updateStatus(changeId, 'PRECHECKING');
  await append('precheck.passed', 'PRECHECKING', {
    summary: { passed: 1, failed: 0, unknown: 1, verdict: 'unknown' },
    results: [
      { id: 'aci.l3out.exists', scope: 'aci', title: 'L3Out exists', verdict: 'pass', evidence: 'found' },
      { id: 'cluster.pool.overlap', scope: 'cluster', title: 'no overlap', verdict: 'unknown', evidence: 'no pools listed', fix: 'let the agent list CiliumLoadBalancerIPPool', change: 0 },
    ],
  });
  await stack.store.changes.updateStatus(changeId, 'PLANNED', { planHash: 'a'.repeat(64) });
  await append('plan.created', 'PLANNED', poolBluePlanDetail('a'.repeat(64)));
}

const applySpec = () => {
  const file = join(dir, 'apply-pool.yaml');
  writeFileSync(file, `apiVersion: changeflow/v1
kind: ChangeSpec
target: { site: dc1, fabric: dc1-aci, cluster: prod-a }
aci: { tenant: k8s-prod-a, vrf: vrf-1, l3out: prod-a-l3out, physDomain: k8s-phys, fabricAsn: 65001 }
changes:
  - type: loadBalancerPool
    name: pool-blue
    blocks: ["10.0.11.0/25"]
    serviceSelector: { color: blue }
    externalEpg: default_svc
mode: apply
`);
  return file;
};

describe.concurrent('changeflow submit of a manual apply (confirmation)', () => {
  it.skipIf(!existsSync(scriptPath))('shows the preview plan of both domains, asks, and starts the apply only after "yes"', async ({ expect }) => {
    const answered = onTerminal(['submit', applySpec(), '--idempotency-key', 'confirm-yes', '--by', 'jane.doe'], 'yes');
    await playPreview('cli-confirm-yes-preview');
    const { code, output } = await answered;
    expect(output).toContain('planning cli-confirm-yes-preview (plan only');
    expect(output).toContain('? unknown cluster.pool.overlap — about changes[0] loadBalancerPool pool-blue 10.0.11.0/25');
    expect(output).toContain('    fix: let the agent list CiliumLoadBalancerIPPool');
    expect(output).toMatch(/^APIC\n {2}\+ uni\/tn-k8s-prod-a\/out-prod-a-l3out\/instP-default_svc\/extsubnet-\[10\.0\.11\.0\/25\]\nCluster\n {2}\+ cilium\.io\/v2\/CiliumLoadBalancerIPPool\/pool-blue\n {6}\+ spec\.blocks: \[\{"cidr":"10\.0\.11\.0\/25"\}\]\nPlan: 2 objects to add, 0 to change, 0 to destroy — in 2 operations \(2 create\)\. {2}\(aaaaaaaaaaaa\)$/m);
    expect(output).toContain('Do you want to apply this plan?');
    expect(output).toMatch(/^started cli-confirm-yes$/m);
    expect(code).toBe(0);
    expect(await stack.executionNames()).toEqual(expect.arrayContaining(['cli-confirm-yes-preview', 'cli-confirm-yes']));
  });

  it.skipIf(!existsSync(scriptPath))('cancels on any answer but "yes": exit 2, nothing started beyond the preview', async ({ expect }) => {
    const answered = onTerminal(['submit', applySpec(), '--idempotency-key', 'confirm-no'], 'y');
    await playPreview('cli-confirm-no-preview');
    const { code, output } = await answered;
    expect(output).toContain('apply cancelled: nothing was applied');
    expect(code).toBe(2);
    expect(await stack.executionNames()).not.toContain('cli-confirm-no');
  });

  it('refuses without a terminal unless --yes (exit 3, nothing started), and --yes starts it at once', async ({ expect }) => {
    const refused = await run(process.execPath, [bin, 'submit', applySpec(), '--idempotency-key', 'confirm-pipe', '--data-dir', dir], { cwd: root }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code ?? -1, stderr: err.stderr ?? '' }),
    );
    expect(refused.stderr).toMatch(/no terminal to ask on; pass --yes to apply without asking/);
    expect(refused.code).toBe(3);
    const yes = await run(process.execPath, [bin, 'submit', applySpec(), '--idempotency-key', 'confirm-flag', '--yes', '--data-dir', dir], { cwd: root });
    expect(yes.stdout).toMatch(/^started cli-confirm-flag\n/);
    const names = await stack.executionNames();
    expect(names).toContain('cli-confirm-flag');
    expect(names).not.toContain('cli-confirm-pipe');
    expect(names).not.toContain('cli-confirm-flag-preview');
  });
});
