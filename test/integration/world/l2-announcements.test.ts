import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../../local/lab/index.js';
import { evaluateArp, evaluateLeases, l2ArpCheck, l2LeasesCheck } from '../../../shared/kinds/l2-announcement/verify.js';
import { ChangeSpec } from '../../../shared/spec/index.js';
import { ApicSession, KubeClient } from './lab-clients.js';

// The emulated agents' L2 announcer: a policy selecting shop/frontend (color=red) once LB-IPAM gave
// it an IP makes the first allowed worker take the lease cilium-l2announce-shop-frontend, and the
// fabric learns the IP behind that worker's endpoint. `l2.lease=never` keeps every agent out.

let lab: Lab;
let kube: KubeClient;
let apic: ApicSession;

beforeAll(async () => {
  lab = await startLab();
  kube = new KubeClient(lab.endpoints.kubernetes);
  apic = await ApicSession.login(lab.endpoints.apic);
});
afterAll(async () => {
  await lab?.close();
});

const spec = ChangeSpec.parse({
  apiVersion: 'changeflow/v1', kind: 'ChangeSpec',
  target: { site: 'dc1', fabric: 'dc1-aci', cluster: 'prod-a' },
  aci: { tenant: 'k8s-prod-a', vrf: 'vrf-1', l3out: 'prod-a-l3out', physDomain: 'k8s-phys', fabricAsn: 65001 },
  changes: [{ type: 'l2Announcement', name: 'l2-red', serviceSelector: { color: 'red' }, nodeSelector: { bgp: 'enabled' } }],
  mode: 'apply',
});

const pool = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'pool-red' }, spec: { blocks: [{ cidr: '10.0.10.0/24' }], serviceSelector: { matchLabels: { color: 'red' } } } };
const policy = {
  apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumL2AnnouncementPolicy', metadata: { name: 'l2-red' },
  spec: { serviceSelector: { matchLabels: { color: 'red' } }, nodeSelector: { matchLabels: { bgp: 'enabled' } }, loadBalancerIPs: true, externalIPs: false },
};

async function cluster(): Promise<[unknown[], unknown[], unknown[]]> {
  const list = async (path: string): Promise<unknown[]> => {
    const res = await fetch(`${lab.endpoints.kubernetes.url}${path}`, { headers: { authorization: `Bearer ${lab.endpoints.kubernetes.token}` } });
    const body = (await res.json()) as { kind: string; items: unknown[] };
    return [body];
  };
  return [await list('/apis/coordination.k8s.io/v1/namespaces/kube-system/leases'), await list('/api/v1/services'), await list('/api/v1/nodes')];
}

async function fabric(): Promise<[unknown[], unknown[]]> {
  const cls = async (c: string) => (await apic.classQuery(c)).map((attributes) => ({ [c]: { attributes } }));
  return [await cls('fvCEp'), await cls('fvIp')];
}

describe('lab: L2 announcement leases and ARP', () => {
  it('gives the selected service a lease on the first allowed worker and the fabric learns its IP there', async () => {
    await kube.apply(pool);
    await kube.apply(policy);
    await lab.kubernetes.settle();
    const lease = await kube.get('coordination.k8s.io/v1', 'Lease', 'cilium-l2announce-shop-frontend', 'kube-system');
    expect(lease['spec']).toMatchObject({ holderIdentity: 'prod-a-w1', leaseDurationSeconds: 15 });

    const [leases, services, nodes] = await cluster();
    const held = evaluateLeases(spec, leases, services, nodes);
    expect(held).toMatchObject({ ok: true, idle: [], problems: [] });
    expect(held.announcements).toEqual([{ policy: 'l2-red', service: 'shop/frontend', lease: 'cilium-l2announce-shop-frontend', ips: ['10.0.10.0'], holder: 'prod-a-w1', holderIp: '192.168.2.11' }]);
    const [ceps, ips] = await fabric();
    expect(evaluateArp(held, ceps, ips)).toEqual({ ok: true, learned: ['10.0.10.0 on prod-a-w1'], problems: [] });
    // The checks as the agent runs them give the same verdicts.
    expect(l2LeasesCheck.evaluate(spec, [leases, services, nodes])).toEqual({ ok: true, evidence: 'shop/frontend 10.0.10.0 → prod-a-w1' });
    expect(l2ArpCheck.evaluate(spec, [leases, services, nodes], [ceps, ips])).toEqual({ ok: true, evidence: '10.0.10.0 on prod-a-w1' });
  });

  it('under l2.lease=never no agent holds the lease: the check names the service and the ARP check has no announcer', async () => {
    lab.kubernetes.faults.add('l2.lease=never');
    try {
      await kube.apply({ ...policy, metadata: { name: 'l2-red', labels: { poke: '1' } } });
      await lab.kubernetes.settle();
      const [leases, services, nodes] = await cluster();
      const v = l2LeasesCheck.evaluate(spec, [leases, services, nodes]);
      expect(v).toEqual({ ok: false, evidence: 'shop/frontend: no node holds the lease cilium-l2announce-shop-frontend (no agent announces 10.0.10.0)' });
      const [ceps, ips] = await fabric();
      expect(ips).toEqual([]);
      expect(l2ArpCheck.evaluate(spec, [leases, services, nodes], [ceps, ips]).ok).toBe(false);
    } finally {
      lab.kubernetes.faults.clear();
    }
  });

  it('removes the lease when the policy goes (a rollback leaves no lease behind) and the fabric forgets the IP', async () => {
    await fetch(`${lab.endpoints.kubernetes.url}/apis/cilium.io/v2alpha1/ciliuml2announcementpolicies/l2-red`, { method: 'DELETE', headers: { authorization: `Bearer ${lab.endpoints.kubernetes.token}` } });
    await lab.kubernetes.settle();
    const leases = lab.kubernetes.store.list('coordination.k8s.io/v1', 'Lease', { namespace: 'kube-system' }).map((l) => (l['metadata'] as { name: string }).name);
    expect(leases.filter((n) => n.startsWith('cilium-l2announce-'))).toEqual([]);
    expect((await fabric())[1]).toEqual([]);
  });
});
