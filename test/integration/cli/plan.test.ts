import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOfflinePlan } from '../../../cli/offline-plan.js';

// `changeflow plan FILE --facts DIR` against facts captured the way operators capture them:
// APIC answers (imdata envelopes), `kubectl get -o json` output and `cilium status -o json`.

let both: string;
let apicOnly: string;

beforeAll(() => {
  both = mkdtempSync(join(tmpdir(), 'facts-both-'));
  apicOnly = mkdtempSync(join(tmpdir(), 'facts-apic-'));
  cpSync('test/fixtures/aci/dc1', both, { recursive: true });
  cpSync('test/fixtures/cilium/facts/prod-a-1.18', join(both, 'cluster'), { recursive: true });
  cpSync('test/fixtures/aci/dc1', apicOnly, { recursive: true });
});

const plain = { json: false, colour: false };

describe('changeflow plan --facts', () => {
  it('passes every precheck and prints a terraform-like plan for the onboarding example', async () => {
    const r = await runOfflinePlan('examples/onboard-prod-a.yaml', both, plain);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('0 failed, 0 unknown');
    expect(r.output).toContain('+ uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-anchors/rsnodeL3OutAtt-[topology/pod-1/node-101]');
    expect(r.output).toContain('+ cilium.io/v2/CiliumBGPClusterConfig/aci-prod-a-l3out');
    // Objects and the ops that carry them, labelled, so the CLI and the page agree on the count.
    const added = r.output.split('\n').filter((l) => /^ {2}\+ /.test(l)).length;
    expect(r.output).toMatch(new RegExp(`^Plan: ${added} objects to add, 0 to change, 0 to destroy — in \\d+ operations \\(\\d+ create\\)\\.`, 'm'));
  });

  it('prints each planned object once, in a plan that touches both targets', async () => {
    const r = await runOfflinePlan('examples/onboard-prod-a.yaml', both, plain);
    const objectLines = r.output.split('\n').filter((l) => /^ {2}[+~-] /.test(l));
    expect(objectLines.length).toBeGreaterThan(20);
    expect(objectLines.filter((l, i) => objectLines.indexOf(l) !== i)).toEqual([]);
  });

  it('exits 2 naming the failed rule with its evidence and fix when a precheck fails', async () => {
    const spec = readFileSync('examples/onboard-prod-a.yaml', 'utf8').replace('fabricAsn: 65001', 'fabricAsn: 65099');
    const file = join(both, '..', `wrong-asn-${process.pid}.yaml`);
    writeFileSync(file, spec);
    const r = await runOfflinePlan(file, both, plain);
    expect(r.exitCode).toBe(2);
    expect(r.output).toMatch(/✗ aci\.conflict\.fabric-asn: .*65001/);
    expect(r.output).toContain('fix:');
  });

  it('reports cluster prechecks as unknown, not failed, when only APIC facts were captured', async () => {
    const r = await runOfflinePlan('examples/onboard-prod-a.yaml', apicOnly, { json: true, colour: false });
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.output) as { summary: { failed: number; unknown: number }; prechecks: Array<{ id: string; verdict: string }> };
    expect(out.summary.failed).toBe(0);
    expect(out.summary.unknown).toBeGreaterThan(0);
    expect(out.prechecks.filter((p) => p.id.startsWith('cluster.')).every((p) => p.verdict === 'unknown')).toBe(true);
  });

  it('exits 3 on an invalid spec or a facts file that is not JSON', async () => {
    const badSpec = join(both, '..', `bad-${process.pid}.yaml`);
    writeFileSync(badSpec, 'apiVersion: changeflow/v1\nkind: ChangeSpec\n');
    expect((await runOfflinePlan(badSpec, both, plain)).exitCode).toBe(3);
    const broken = mkdtempSync(join(tmpdir(), 'facts-broken-'));
    writeFileSync(join(broken, 'apic.json'), '{"imdata": [');
    const r = await runOfflinePlan('examples/onboard-prod-a.yaml', broken, plain);
    expect(r.exitCode).toBe(3);
    expect(r.output).toContain('apic.json is not JSON');
  });

  it('runs as the real command: a pool someone made by hand with kubectl is refused, not taken over', () => {
    // The captured cluster already has a pool-blue applied with kubectl (client-side apply).
    const r = spawnSync(process.execPath, ['bin/changeflow.mjs', 'plan', 'examples/add-pool-blue.yaml', '--facts', both], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/✗ cluster\.conflict\.field-manager: CiliumLoadBalancerIPPool pool-blue exists and was not created by changeflow/);
  });
});
