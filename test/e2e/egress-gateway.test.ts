import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from '../../shared/zod.js';
import { jiraDelivery } from '../../local/dev/demo-tickets.js';
import { expectSucceededAndRecorded } from '../support/e2e-expect.js';
import { apicGet, kubeGet, labDumps, type LabDumps } from '../support/e2e-lab.js';
import { asAbsent, e2eSpec, runChange, startE2eStack, type E2eStack } from '../support/e2e-stack.js';

// Issue 10 §4: an egress-gateway IP through Jira — the Cilium policy on the cluster and the ESG
// that classifies the IP on the fabric — then its removal through ServiceNow, after which both
// sides read byte for byte as before.

const esg = '/api/mo/uni/tn-k8s-prod-a/ap-egress/esg-frontend.json?rsp-subtree=full';

let e2e: E2eStack;
let before: LabDumps;

beforeAll(async () => {
  e2e = await startE2eStack('egress');
  before = await labDumps(e2e);
});

afterAll(async () => {
  await e2e?.close();
});

describe('egressGateway end to end', () => {
  it('refuses a webhook whose body was altered after signing (401) and starts nothing', async () => {
    const { lab, endpoints } = e2e.stack;
    const delivery = await jiraDelivery(lab, endpoints.webhookSecret, 'Egress IP for shop/frontend', e2eSpec('egress-gateway'), new Date());
    const tampered = delivery.body.replace('192.168.3.200', '192.168.3.201');
    const res = await fetch(`${e2e.api}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: tampered });
    expect(res.status).toBe(401);
    const listed = z.object({ changes: z.array(z.unknown()) }).parse(await (await fetch(`${e2e.api}/changes`)).json());
    expect(listed.changes).toEqual([]);
  });

  it('creates the egress policy with its IP and an ESG selecting that /32 in the VRF, from a Jira ticket', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'jira', 'Egress IP for shop/frontend', e2eSpec('egress-gateway'));
    await expectSucceededAndRecorded(e2e, run);

    const policy = await kubeGet(e2e, '/apis/cilium.io/v2/ciliumegressgatewaypolicies/frontend-egress');
    expect(policy?.spec).toEqual({
      destinationCIDRs: ['10.10.10.0/24'],
      egressGateway: { egressIP: '192.168.3.200', nodeSelector: { matchLabels: { 'egress-gateway': 'true' } } },
      selectors: [{ podSelector: { matchLabels: { app: 'frontend', 'io.kubernetes.pod.namespace': 'shop' } } }],
    });

    const mos = await apicGet(e2e, esg);
    const attrs = (cls: string) => mos.filter((m) => m.cls === cls).map((m) => m.attributes);
    expect(attrs('fvESg').map((a) => a['name'])).toEqual(['frontend']);
    expect(attrs('fvEPSelector').map((a) => a['matchExpression'])).toEqual(["ip=='192.168.3.200/32'"]);
    expect(attrs('fvRsScope').map((a) => a['tnFvCtxName'])).toEqual(['vrf-1']);
  });

  it('removes the policy and the ESG with state: absent from a ServiceNow ticket: both sides read as before', { timeout: 120_000 }, async () => {
    const run = await runChange(e2e, 'servicenow', 'Remove the shop/frontend egress IP', asAbsent(e2eSpec('egress-gateway')));
    await expectSucceededAndRecorded(e2e, run);
    expect(await kubeGet(e2e, '/apis/cilium.io/v2/ciliumegressgatewaypolicies/frontend-egress')).toBeUndefined();
    expect(await labDumps(e2e)).toEqual(before);
  });
});
