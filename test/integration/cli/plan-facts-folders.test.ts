import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLabFacts } from '../../../local/lab/capture-facts.js';
import { parseChangeDocumentText } from '../../../shared/spec/index.js';

// `changeflow plan` through the real binary against the shipped examples/facts folder (captured
// from the default lab), several --facts folders at once, a repeated one-value option refused,
// hints in the operator's words when a side is missing, and the plan's own words (issue 19 item 7:
// each object once, objects and operations labelled, counts in English).

const plan = (...args: string[]) => spawnSync(process.execPath, ['bin/changeflow.mjs', 'plan', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const planHash = (output: string) => /^Plan: .*\((\w{12})\)$/m.exec(output)?.[1];
const examples = ['examples/onboard-prod-a.yaml', 'examples/add-pool-blue.yaml'];
const fresh = mkdtempSync(join(tmpdir(), 'changeflow-fresh-facts-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('changeflow plan --facts', () => {
  it('plans the onboarding example against examples/facts with every precheck passed (exit 0)', () => {
    const r = plan('examples/onboard-prod-a.yaml', '--facts', 'examples/facts');
    expect(r.stdout).toMatch(/^facts: \d+ file\(s\) from examples\/facts$/m);
    expect(r.stdout).toMatch(/^ {2}\d+ passed, 0 failed, 0 unknown$/m);
    expect(r.stdout).toContain('+ cilium.io/v2/CiliumBGPClusterConfig/aci-prod-a-l3out');
    expect(r.status).toBe(0);
  });

  it('matches the default lab: each example plans the same against examples/facts as against a fresh capture', async () => {
    const specs = examples.map((f) => {
      const parsed = parseChangeDocumentText(readFileSync(f, 'utf8'));
      if (!parsed.ok) throw new Error(f);
      return parsed.spec;
    });
    for (const file of await captureLabFacts(specs)) {
      mkdirSync(dirname(join(fresh, file.path)), { recursive: true });
      writeFileSync(join(fresh, file.path), JSON.stringify(file.content));
    }
    for (const example of examples) {
      const shipped = plan(example, '--facts', 'examples/facts');
      const captured = plan(example, '--facts', fresh);
      expect(planHash(shipped.stdout)).toBeDefined();
      expect(planHash(shipped.stdout)).toBe(planHash(captured.stdout));
    }
  }, 60_000);

  it('prints each planned object once and labels the counts: objects (as the page counts) and the operations that carry them', () => {
    const r = plan('examples/onboard-prod-a.yaml', '--facts', 'examples/facts');
    const objects = r.stdout.split('\n').filter((l) => /^ {2}[+~-] /.test(l));
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.filter((l, i) => objects.indexOf(l) !== i)).toEqual([]);
    const added = objects.filter((l) => l.startsWith('  + ')).length;
    expect(r.stdout).toMatch(new RegExp(`^Plan: ${added} objects to add, 0 to change, 0 to destroy — in \\d+ operations \\(\\d+ create\\)\\.  \\(\\w{12}\\)$`, 'm'));
  });

  it('counts in English in the evidence: "1 peer", "1 non-anchor leaf hosts"', () => {
    const withPeer = join(fresh, 'one-peer');
    cpSync('examples/facts', withPeer, { recursive: true });
    // One BGP session already on anchor 101, in another VRF.
    const entry = { dn: 'topology/pod-1/node-101/sys/bgp/inst/dom-common:vrf-other/peer-[10.9.9.1/32]/ent-[10.9.9.1]', addr: '10.9.9.1', operSt: 'established' };
    writeFileSync(join(withPeer, 'apic', 'bgp-peer-entries.json'), JSON.stringify({ totalCount: '1', imdata: [{ bgpPeerEntry: { attributes: entry } }] }));
    const r = plan('examples/onboard-prod-a.yaml', '--facts', withPeer);
    expect(r.stdout).toContain('  ✓ aci.capacity.bgp-peers-per-leaf: leaf 101: 1 peer + 4 nodes → 5; leaf 102: 0 peers + 4 nodes → 4 (limit 2000)\n');
    expect(r.stdout).toContain('  ✓ aci.capacity.anchors: 2 anchors (101, 102) of 6; 1 non-anchor leaf hosts BGP nodes (103) of 32\n');
    expect(r.status).toBe(0);
  });

  it('reads several folders and files, after one --facts or repeated, into one set of facts', () => {
    const whole = planHash(plan('examples/onboard-prod-a.yaml', '--facts', 'examples/facts').stdout);
    const split = plan('examples/onboard-prod-a.yaml', '--facts', 'examples/facts/apic', 'examples/facts/kubernetes', 'examples/facts/cilium-status.json');
    expect(split.stdout).toContain('from examples/facts/apic, examples/facts/kubernetes, examples/facts/cilium-status.json');
    expect(planHash(split.stdout)).toBe(whole);
    const repeated = plan('examples/onboard-prod-a.yaml', '--facts', 'examples/facts/apic', '--facts', 'examples/facts/kubernetes', 'examples/facts/cilium-status.json');
    expect(planHash(repeated.stdout)).toBe(whole);
    expect(repeated.status).toBe(0);
  });

  it('refuses an option that takes one value when it is given twice, instead of dropping the first (exit 3)', () => {
    const r = spawnSync(process.execPath, ['bin/changeflow.mjs', 'submit', 'examples/add-pool-blue.yaml', '--api', 'http://a.invalid', '--api', 'http://b.invalid'], { encoding: 'utf8' });
    expect(r.stderr).toContain('--api was given 2 times; it takes one value and all but the last would be dropped — give it once');
    expect(r.status).toBe(3);
  });

  it('says in the operator\'s words what to save when the cluster side is missing: kubectl and cilium commands, no internal command names', () => {
    const r = plan('examples/onboard-prod-a.yaml', '--facts', 'examples/facts/apic');
    expect(r.stdout).toContain('No facts of the cluster in examples/facts/apic: its rules are unknown. Save them into the facts folder with:');
    expect(r.stdout).toContain('  kubectl -n kube-system get configmap cilium-config -o json > ConfigMap-cilium-config.json');
    expect(r.stdout).toContain('  cilium status -o json > cilium-status.json');
    expect(r.stdout).not.toMatch(/cluster\.collect|aci\.collect|gather-facts/);
    const noApic = plan('examples/onboard-prod-a.yaml', '--facts', 'examples/facts/kubernetes');
    expect(noApic.stdout).toMatch(/^ {2}curl -sk -b apic\.cookie 'https:\/\/\$APIC\/api\/mo\/uni\/tn-k8s-prod-a\.json\?rsp-subtree=full&rsp-prop-include=config-only' > apic-tenant\.json$/m);
  });
});
