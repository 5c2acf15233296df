import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubernetesLab, type KubernetesLab } from '../../../local/lab/kubernetes/lab.js';

// The API server behaviours the adapter and the lab world rely on, over the wire (plain HTTP side).
let lab: KubernetesLab;

async function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${lab.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${lab.token}`, 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const apply = (path: string, body: unknown, query: string) => api('PATCH', `${path}?${query}`, body, 'application/apply-patch+yaml');
const pools = '/apis/cilium.io/v2/ciliumloadbalancerippools';
// Each pool selects only services labelled for it unless a test says otherwise (nil selects all).
const pool = (name: string, cidr: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name },
  spec: { blocks: [{ cidr }], serviceSelector: { matchLabels: { pool: name } }, ...extra },
});

beforeAll(async () => {
  lab = await startKubernetesLab({ resyncMs: 100 });
});

afterAll(async () => {
  await lab?.close();
});

describe('discovery', () => {
  it('serves cilium.io v2 with plural, scope, short names and only the marked status subresources', async () => {
    const { json } = await api('GET', '/apis/cilium.io/v2');
    const resources = json['resources'] as Array<{ name: string; namespaced: boolean; shortNames?: string[] }>;
    const names = resources.map((r) => r.name);
    expect(names).toContain('ciliumbgpnodeconfigs/status');
    expect(names).not.toContain('ciliumbgpadvertisements/status');
    expect(names).not.toContain('ciliumegressgatewaypolicies/status');
    expect(resources.find((r) => r.name === 'ciliumnetworkpolicies')?.namespaced).toBe(true);
    expect(resources.find((r) => r.name === 'ciliumloadbalancerippools')?.shortNames).toEqual(['ippools', 'ippool', 'lbippool', 'lbippools']);
    const groups = (await api('GET', '/apis')).json['groups'] as Array<{ name: string; preferredVersion: { version: string } }>;
    expect(groups.find((g) => g.name === 'cilium.io')?.preferredVersion.version).toBe('v2');
  });

  it('answers 401 with a Status when the bearer token is missing', async () => {
    const res = await fetch(`${lab.httpUrl}/api/v1/nodes`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('serves only v2alpha1 BGP and pools on the cilium-1.17 scenario', async () => {
    const old = await startKubernetesLab({ scenario: 'cilium-1.17' });
    try {
      expect(old.store.storageVersionOf('CiliumBGPClusterConfig')).toBe('cilium.io/v2alpha1');
      const res = await fetch(`${old.httpUrl}/apis/cilium.io/v2/ciliumbgpclusterconfigs`, { headers: { authorization: `Bearer ${old.token}` } });
      expect(res.status).toBe(404);
      const image = old.store.get('apps/v1', 'DaemonSet', 'cilium', 'kube-system') as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
      expect(image.spec.template.spec.containers[0]?.image).toBe('quay.io/cilium/cilium:v1.17.6');
    } finally {
      await old.close();
    }
  });
});

describe('server-side apply', () => {
  it('requires a field manager with the API server 422', async () => {
    const r = await apply(`${pools}/p0`, pool('p0', '10.0.0.0/28'), '');
    expect(r.status).toBe(422);
    expect(r.json['message']).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  it('creates with 201, updates with 200, and bumps generation only on spec changes', async () => {
    const created = await apply(`${pools}/p1`, pool('p1', '10.0.1.0/28'), 'fieldManager=test');
    expect(created.status).toBe(201);
    const meta = created.json['metadata'] as { generation: number; resourceVersion: string; uid: string };
    expect(meta.generation).toBe(1);
    await lab.settle(); // the operator writes the pool's status meanwhile
    const settledRv = ((await api('GET', `${pools}/p1`)).json['metadata'] as { resourceVersion: string }).resourceVersion;
    const same = await apply(`${pools}/p1`, pool('p1', '10.0.1.0/28'), 'fieldManager=test');
    expect(same.status).toBe(200);
    expect((same.json['metadata'] as { resourceVersion: string }).resourceVersion).toBe(settledRv);
    const labelled = await apply(`${pools}/p1`, { ...pool('p1', '10.0.1.0/28'), metadata: { name: 'p1', labels: { a: 'b' } } }, 'fieldManager=test');
    expect((labelled.json['metadata'] as { generation: number }).generation).toBe(1);
    const changed = await apply(`${pools}/p1`, pool('p1', '10.0.1.16/28'), 'fieldManager=test');
    expect((changed.json['metadata'] as { generation: number; uid: string }).generation).toBe(2);
    expect((changed.json['metadata'] as { uid: string }).uid).toBe(meta.uid);
    expect((changed.json['metadata'] as { labels?: unknown }).labels).toBeUndefined();
  });

  it('answers dryRun=All with the result without storing it', async () => {
    const r = await apply(`${pools}/dry`, pool('dry', '10.0.2.0/28'), 'fieldManager=test&dryRun=All');
    expect(r.status).toBe(201);
    expect((await api('GET', `${pools}/dry`)).status).toBe(404);
  });

  it('shows the same stored object through v2 and v2alpha1', async () => {
    await apply(`${pools}/both`, pool('both', '10.0.3.0/28'), 'fieldManager=test');
    const alpha = await api('GET', '/apis/cilium.io/v2alpha1/ciliumloadbalancerippools/both');
    expect(alpha.json['apiVersion']).toBe('cilium.io/v2alpha1');
    expect(alpha.json['spec']).toMatchObject({ blocks: [{ cidr: '10.0.3.0/28' }] });
    const v2 = await api('GET', `${pools}/both`);
    expect((alpha.json['metadata'] as { uid: string }).uid).toBe((v2.json['metadata'] as { uid: string }).uid);
  });

  it('rejects a CiliumEgressGatewayPolicy without its required fields with 422 Invalid', async () => {
    const r = await apply('/apis/cilium.io/v2/ciliumegressgatewaypolicies/e1', { apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy', metadata: { name: 'e1' }, spec: { selectors: [] } }, 'fieldManager=test');
    expect(r.status).toBe(422);
    const causes = (r.json['details'] as { causes: Array<{ field: string }> }).causes.map((c) => c.field);
    expect(causes).toEqual(['spec.destinationCIDRs', 'spec.egressGateway']);
  });

  it('answers kubernetes.apply=conflict@2 on the second apply only', async () => {
    lab.faults.clear(); // @N counts from the last reset
    lab.faults.add('kubernetes.apply=conflict@2');
    try {
      expect((await apply(`${pools}/f1`, pool('f1', '10.0.4.0/28'), 'fieldManager=test')).status).toBe(201);
      const second = await apply(`${pools}/f2`, pool('f2', '10.0.5.0/28'), 'fieldManager=test');
      expect(second.status).toBe(409);
      expect(second.json).toMatchObject({ reason: 'Conflict', details: { causes: [{ type: 'FieldManagerConflict', field: '.spec.blocks' }] } });
      expect((await api('GET', `${pools}/f2`)).status).toBe(404);
      expect((await apply(`${pools}/f2`, pool('f2', '10.0.5.0/28'), 'fieldManager=test')).status).toBe(201);
    } finally {
      lab.faults.clear();
    }
  });

  it('answers every request 503 while kubernetes.any=down', async () => {
    lab.faults.add('kubernetes.any=down');
    try {
      const r = await api('GET', '/api/v1/nodes');
      expect(r.status).toBe(503);
      expect(r.json['message']).toBe('the server is currently unable to handle the request');
    } finally {
      lab.faults.clear();
    }
  });
});

describe('other writes', () => {
  it('refuses strategic merge on custom resources with 415 and applies it on built-ins', async () => {
    const cr = await api('PATCH', `${pools}/p1`, { metadata: { labels: { x: 'y' } } }, 'application/strategic-merge-patch+json');
    expect(cr.status).toBe(415);
    const cm = await api('PATCH', '/api/v1/namespaces/kube-system/configmaps/cilium-config', { data: { debug: 'true' } }, 'application/strategic-merge-patch+json');
    expect(cm.status).toBe(200);
    expect((cm.json['data'] as Record<string, string>)['debug']).toBe('true');
  });

  it('applies JSON patches and gives the writer ownership of what it changed', async () => {
    const r = await api('PATCH', '/api/v1/namespaces/kube-system/configmaps/cilium-config?fieldManager=ops', [{ op: 'replace', path: '/data/debug', value: 'false' }], 'application/json-patch+json');
    expect(r.status).toBe(200);
    const managed = (r.json['metadata'] as { managedFields: Array<{ manager: string; fieldsV1: Record<string, unknown> }> }).managedFields;
    expect(managed.find((m) => m.manager === 'ops')?.fieldsV1).toEqual({ 'f:data': { 'f:debug': {} } });
    expect(JSON.stringify(managed.find((m) => m.manager === 'helm')?.fieldsV1)).not.toContain('f:debug');
  });

  it('returns 404 and 409 AlreadyExists Status bodies worded like the API server', async () => {
    const missing = await api('GET', `${pools}/nope`);
    expect(missing.json).toMatchObject({ status: 'Failure', reason: 'NotFound', code: 404, message: 'ciliumloadbalancerippools.cilium.io "nope" not found' });
    const dup = await api('POST', pools, pool('p1', '10.0.9.0/28'));
    expect(dup.json).toMatchObject({ reason: 'AlreadyExists', code: 409, message: 'ciliumloadbalancerippools.cilium.io "p1" already exists' });
  });

  it('writes status only through /status on kinds that have the subresource', async () => {
    await lab.settle();
    const current = (await api('GET', `${pools}/p1`)).json;
    const main = await apply(`${pools}/p1`, { ...pool('p1', '10.0.1.16/28'), status: { conditions: [] } }, 'fieldManager=test');
    expect(main.json['status']).toEqual(current['status']);
    const r = await api('PUT', `${pools}/p1/status`, { ...current, status: { conditions: [{ type: 'x', status: 'True' }] } });
    expect(r.status).toBe(200);
    expect((r.json['status'] as { conditions: unknown[] }).conditions).toEqual([{ type: 'x', status: 'True' }]);
    expect((await api('GET', '/apis/cilium.io/v2/ciliumbgpadvertisements/a/status')).status).toBe(404);
  });
});

describe('emulated operator and agents', () => {
  it('gives a matching LoadBalancer service an IP from the pool and counts it in the pool conditions', async () => {
    await apply(`${pools}/pool-red`, pool('pool-red', '10.0.10.0/24', { serviceSelector: { matchLabels: { color: 'red' } } }), 'fieldManager=test');
    await lab.settle();
    const svc = lab.store.get('v1', 'Service', 'frontend', 'shop') as { status: { loadBalancer: { ingress: Array<{ ip: string }> }; conditions: Array<{ type: string; status: string }> } };
    expect(svc.status.loadBalancer.ingress[0]?.ip).toBe('10.0.10.0');
    expect(svc.status.conditions).toContainEqual(expect.objectContaining({ type: 'cilium.io/IPAMRequestSatisfied', status: 'True' }));
    const status = (lab.store.get('cilium.io/v2', 'CiliumLoadBalancerIPPool', 'pool-red') as { status: { conditions: Array<Record<string, string>> } }).status;
    const byType = Object.fromEntries(status.conditions.map((c) => [c['type'], c]));
    expect(byType['cilium.io/IPsTotal']).toMatchObject({ status: 'Unknown', reason: 'noreason', message: '256' });
    expect(byType['cilium.io/IPsUsed']?.['message']).toBe('1');
    expect(byType['cilium.io/PoolConflict']?.['status']).toBe('False');
    const managers = (lab.store.get('v1', 'Service', 'frontend', 'shop') as { metadata: { managedFields: Array<{ manager: string; subresource?: string }> } }).metadata.managedFields;
    expect(managers).toContainEqual(expect.objectContaining({ manager: 'cilium-operator-lb-ipam', subresource: 'status' }));
  });

  it('marks a pool whose blocks overlap an older pool as conflicting', async () => {
    await apply(`${pools}/pool-red-2`, pool('pool-red-2', '10.0.10.128/25'), 'fieldManager=test');
    await lab.settle();
    const status = (lab.store.get('cilium.io/v2', 'CiliumLoadBalancerIPPool', 'pool-red-2') as { status: { conditions: Array<Record<string, string>> } }).status;
    expect(status.conditions.find((c) => c['type'] === 'cilium.io/PoolConflict')?.['status']).toBe('True');
  });

  it('reports peering states from the injected provider on each selected node', async () => {
    lab.setPeeringStateProvider((node, peer) => (node === 'prod-a-w1' && peer.peerAddress === '192.168.2.1' ? 'established' : 'idle'));
    await apply('/apis/cilium.io/v2/ciliumbgpclusterconfigs/bgp', {
      apiVersion: 'cilium.io/v2', kind: 'CiliumBGPClusterConfig', metadata: { name: 'bgp' },
      spec: { nodeSelector: { matchLabels: { bgp: 'enabled' } }, bgpInstances: [{ name: 'i', localASN: 64512, peers: [{ name: 'a101', peerAddress: '192.168.2.1', peerASN: 65001 }] }] },
    }, 'fieldManager=test');
    await lab.settle();
    const nodeConfigs = lab.store.list('cilium.io/v2', 'CiliumBGPNodeConfig').map((n) => (n['metadata'] as { name: string }).name);
    expect(nodeConfigs).toEqual(['prod-a-w1', 'prod-a-w2', 'prod-a-w3', 'prod-a-w4']);
    const state = (node: string) =>
      (lab.store.get('cilium.io/v2', 'CiliumBGPNodeConfig', node) as { status: { bgpInstances: Array<{ peers: Array<{ peeringState: string; establishedTime?: string }> }> } }).status.bgpInstances[0]?.peers[0];
    expect(state('prod-a-w1')?.peeringState).toBe('established');
    expect(state('prod-a-w1')?.establishedTime).toMatch(/Z$/);
    expect(state('prod-a-w2')?.peeringState).toBe('idle');
    const cc = lab.store.get('cilium.io/v2', 'CiliumBGPClusterConfig', 'bgp') as { status: { conditions: Array<{ type: string; status: string }> } };
    expect(cc.status.conditions).toContainEqual(expect.objectContaining({ type: 'cilium.io/NoMatchingNode', status: 'False' }));
  });
});

describe('watch', () => {
  it('streams the change after the given resourceVersion', async () => {
    const list = await api('GET', '/api/v1/namespaces/shop/configmaps');
    const rv = (list.json['metadata'] as { resourceVersion: string }).resourceVersion;
    const controller = new AbortController();
    const res = await fetch(`${lab.httpUrl}/api/v1/namespaces/shop/configmaps?watch=true&resourceVersion=${rv}`, { headers: { authorization: `Bearer ${lab.token}` }, signal: controller.signal });
    await api('POST', '/api/v1/namespaces/shop/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, data: { a: '1' } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    controller.abort();
    const event = JSON.parse(new TextDecoder().decode(value).split('\n')[0] ?? '{}') as { type: string; object: { metadata: { name: string } } };
    expect(event.type).toBe('ADDED');
    expect(event.object.metadata.name).toBe('w');
  });
});
