import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLabFacts } from '../../../local/lab/capture-facts.js';
import { parseChangeDocumentText } from '../../../shared/spec/index.js';

// `changeflow plan` through the real binary against the shipped examples/facts folder (captured
// from the default lab), several --facts folders at once, a repeated one-value option refused,
// and hints in the operator's words when a side is missing.

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
