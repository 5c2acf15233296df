import { describe, expect, it } from 'vitest';
import { createApicClient } from '../../../agent/apic/client.js';
import { createClusterClient } from '../../../agent/cluster/index.js';
import { safeApiVersion, safeLabelSelector, safeName, safeNamespace } from '../../../agent/cluster/kube-names.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Issue 13 §1 "path safety": every DN, class, query option and Kubernetes name that could make a
// request address something other than what it names is refused by the client itself, before a
// single byte is sent. The client runs against a recording fetch: a refused call records nothing.

function recordingApic() {
  const urls: string[] = [];
  const fetchStub = async (url: string | URL | Request): Promise<Response> => {
    urls.push(String(url));
    const body = String(url).includes('aaaLogin')
      ? { totalCount: '1', imdata: [{ aaaLogin: { attributes: { token: 't', refreshTimeoutSeconds: '600', version: '6.1(2f)' } } }] }
      : { totalCount: '0', imdata: [] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const client = createApicClient({ url: 'http://apic.test', username: 'admin', password: 'x', fetch: fetchStub as typeof fetch });
  return { client, urls };
}

const escapes: Array<[string, string]> = [
  ['`..` segments that fetch would normalise away', 'uni/../../api/aaaLogout'],
  ['`..` at the end', 'uni/tn-a/..'],
  ['`..` inside a name', 'uni/tn-..'],
  ['a leading slash', '/uni/tn-a'],
  ['a trailing slash', 'uni/tn-a/'],
  ['an empty RN', 'uni//tn-a'],
  ['a query string', 'uni/tn-a?rsp-subtree=full'],
  ['a fragment', 'uni/tn-a#x'],
  ['percent-encoded dots', 'uni/tn-a/%2e%2e/%2e%2e/api/aaaLogout'],
  ['percent-encoded slash', 'uni/tn-a%2f..'],
  ['a backslash (fetch reads it as /)', 'uni\\..\\api'],
  ['a space', 'uni/tn-a b'],
  ['a newline', 'uni/tn-a\nX-Injected: 1'],
  ['a tab', 'uni/tn-a\t'],
  ['non-ASCII', 'uni/tn-ａ'],
  ['an unclosed bracket', 'uni/tn-a/peerP-[192.168.2.0/24'],
  ['a stray closing bracket', 'uni/tn-a]/x'],
  ['a root that is not uni or topology', 'api/mo/uni'],
  ['an RN that is not prefix-name', 'uni/-tn'],
  ['an empty DN', ''],
  ['a DN too long to be real', `uni/${'tn-a/'.repeat(300)}x`],
];

describe('the APIC client refuses every path escape before sending anything', () => {
  it.each(escapes)('DN with %s', async (_why, dn) => {
    const { client, urls } = recordingApic();
    for (const call of [() => client.mo(dn), () => client.post(dn, { fvTenant: { attributes: { name: 'a' } } }), () => client.delete(dn)]) {
      await expect(call()).rejects.toMatchObject({ name: 'UnsafeRequest' });
    }
    await expect(client.get(`/api/mo/${dn}.json`)).rejects.toMatchObject({ name: 'UnsafeRequest' });
    expect(urls).toEqual([]);
  });

  it.each([
    ['a class holding a path', 'fvTenant/../aaaUser'],
    ['a class holding a query', 'fvTenant.json?x='],
    ['a class starting upper-case', 'AaaUser'],
  ])('class name with %s', async (_why, cls) => {
    const { client, urls } = recordingApic();
    await expect(client.cls(cls)).rejects.toMatchObject({ name: 'UnsafeRequest' });
    expect(urls).toEqual([]);
  });

  it.each([
    ['a raw path outside /api/mo and /api/class', '/api/aaaLogout.json'],
    ['a path without its format suffix', '/api/mo/uni/tn-a'],
    ['a path to the lab side door', '/_lab/dump'],
    ['an absolute URL', 'http://evil.test/api/mo/uni.json'],
  ])('GET of %s', async (_why, path) => {
    const { client, urls } = recordingApic();
    await expect(client.get(path)).rejects.toMatchObject({ name: 'UnsafeRequest' });
    expect(urls).toEqual([]);
  });

  it.each([
    ['a key that adds a parameter', { 'rsp-subtree&rsp-prop-include': 'all' }],
    ['a key holding =', { 'query-target=subtree&x': 'y' }],
    ['a key holding a space', { 'query target': 'subtree' }],
    ['an upper-case key', { 'Query-Target': 'subtree' }],
  ])('query option with %s', async (_why, query) => {
    const { client, urls } = recordingApic();
    await expect(client.mo('uni/tn-a', query)).rejects.toMatchObject({ name: 'UnsafeRequest' });
    expect(urls).toEqual([]);
  });

  it('percent-encodes query values, so a value cannot add a parameter or end the URL', async () => {
    const { client, urls } = recordingApic();
    await client.cls('fvCEp', { 'query-target-filter': 'eq(fvCEp.ip,"10.0.0.1")&rsp-subtree=full#x' });
    const sent = urls.find((u) => u.includes('/api/class/fvCEp.json'));
    expect(sent).toBe('http://apic.test/api/class/fvCEp.json?query-target-filter=eq(fvCEp.ip%2C%2210.0.0.1%22)%26rsp-subtree%3Dfull%23x');
    expect(new URL(sent ?? '').searchParams.get('rsp-subtree')).toBeNull();
  });

  it.each([
    'uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-anchors/rsnodeL3OutAtt-[topology/pod-1/node-101]',
    'uni/tn-k8s-prod-a/out-prod-a-l3out/lnodep-anchors/lifp-floating-svi/vlifp-[topology/pod-1/node-101]-[vlan-300]',
    "uni/tn-k8s-prod-a/ap-egress/esg-frontend/epselector-[ip=='192.168.3.200/32']",
    'uni/backupst/snapshots-[uni/fabric/configexp-changeflow]',
    'uni/fabric/compcat-default/fvsw-default/capabilities',
    'topology/pod-1/node-101/sys/bgp/inst/dom-k8s-prod-a:vrf-1/peer-[192.168.2.0/24]/ent-[192.168.2.11]',
  ])('still sends the DNs changeflow really uses: %s', async (dn) => {
    const { client, urls } = recordingApic();
    await client.mo(dn);
    expect(urls.at(-1)).toBe(`http://apic.test/api/mo/${dn}.json`);
  });
});

describe('the cluster client refuses names that would leave their URL segment', () => {
  it.each([
    ['a name with ..', () => safeName('../secrets/x')],
    ['a name with /', () => safeName('cilium-config/x')],
    ['an upper-case name', () => safeName('Cilium')],
    ['a name too long', () => safeName('a'.repeat(254))],
    ['a namespace with /', () => safeNamespace('kube-system/secrets')],
    ['a namespace with a dot', () => safeNamespace('kube.system')],
    ['an apiVersion with ..', () => safeApiVersion('../../v1')],
    ['a label selector with &', () => safeLabelSelector('a=b&watch=true')],
  ])('%s', (_why, check) => {
    expect(check).toThrow(expect.objectContaining({ name: 'UnsafeRequest' }) as Error);
  });

  it('refuses before any request: read, delete, list and apply of an escaping object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'changeflow-kube-names-'));
    const kubeconfig = join(dir, 'kubeconfig');
    // Nothing listens on this port: a request that was sent would fail with ClusterUnavailable, not UnsafeRequest.
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n`);
    const client = createClusterClient({ kubeconfigPath: kubeconfig, requestTimeoutMs: 1000 });
    const bad = { apiVersion: 'v1', kind: 'ConfigMap', name: '../../secrets/cilium-ca', namespace: 'kube-system' };
    await expect(client.read(bad)).rejects.toMatchObject({ name: 'UnsafeRequest' });
    await expect(client.delete({ ...bad, name: 'ok', namespace: 'kube-system/../default' })).rejects.toMatchObject({ name: 'UnsafeRequest' });
    await expect(client.list('v1', 'Secret', { namespace: '../' })).rejects.toMatchObject({ name: 'UnsafeRequest' });
    await expect(client.applyServerSide({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x/../../y', namespace: 'kube-system' } })).rejects.toMatchObject({ name: 'UnsafeRequest' });
    await expect(client.restartWorkload('DaemonSet', 'kube-system', 'cilium/../../x')).rejects.toMatchObject({ name: 'UnsafeRequest' });
  });
});
