import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { scaleSizes } from '../../local/lab/scale-scenario.js';
import { expectSucceededAndRecorded } from '../support/e2e-expect.js';
import { apicGet, kubeList } from '../support/e2e-lab.js';
import { runChange, startE2eStack, type E2eStack } from '../support/e2e-stack.js';

// Issue 20's acceptance: on the `scale` lab scenario (200 leaves, 4 000 ESGs and 4 990 IP
// selectors in the VRF, 599 external EPGs, 500 nodes, 5 000 Services, 200 other-team pools) the
// onboarding and then a one-pool change each SUCCEED, write back to their ticket and leave a chain
// that verifies against its anchor. A named suite (`npm run test:scale`, run by .ci/run after
// `npm test`): a scale stack and two changes take about a minute, outside `npm test`'s budget.

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');

/** examples/add-pool-blue.yaml is plan-only: the same pool, applied. */
function applied(specYaml: string): string {
  const doc = parseDocument(specYaml);
  doc.set('mode', 'apply');
  return doc.toString();
}

let e2e: E2eStack;

beforeAll(async () => {
  e2e = await startE2eStack('scale', [], 'scale');
}, 120_000);

afterAll(async () => {
  await e2e?.close();
});

describe('the scale scenario end to end', () => {
  it('onboards the cluster at the capacity limits: SUCCEEDED, verified chain, the external EPG that reaches the fabric-wide limit exactly', { timeout: 240_000 }, async () => {
    const run = await runChange(e2e, 'servicenow', 'Onboard prod-a at scale', example('onboard-prod-a.yaml'));
    await expectSucceededAndRecorded(e2e, run);
    // The scenario stops one short of 600 external EPGs fabric-wide: the onboarding's own is the 600th.
    const extEpgs = await apicGet(e2e, '/api/class/l3extInstP.json');
    expect(extEpgs.filter((m) => m.cls === 'l3extInstP')).toHaveLength(scaleSizes.externalEpgs + 1);
    const peers = await kubeList(e2e, '/apis/cilium.io/v2/ciliumbgppeerconfigs');
    expect(peers.filter((p) => JSON.stringify(p.metadata['labels'] ?? {}).includes('"app.kubernetes.io/managed-by":"changeflow"')).length).toBeGreaterThan(0);
  });

  it('then adds one pool among the other teams\' 200: SUCCEEDED, verified chain', { timeout: 240_000 }, async () => {
    const run = await runChange(e2e, 'servicenow', 'Add pool-blue at scale', applied(example('add-pool-blue.yaml')));
    await expectSucceededAndRecorded(e2e, run);
    const items = await kubeList(e2e, '/apis/cilium.io/v2/ciliumloadbalancerippools');
    expect(items.length).toBe(scaleSizes.pools + 2);
    expect(items.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['pool-red', 'pool-blue']));
  });
});
