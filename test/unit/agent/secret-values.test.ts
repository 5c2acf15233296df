import { describe, expect, it } from 'vitest';
import { commandRunner } from '../../../agent/run-command.js';
import type { Scopes } from '../../../agent/scope.js';
import { checkSpecSecrets, loadSecretValues, withApicSecrets, withKubeSecrets, type SecretValues } from '../../../agent/secret-values.js';
import type { CommandContext } from '../../../agent/command-context.js';
import type { ApicRequest, KubeRequest } from '../../../shared/plan/index.js';
import { bgpChange, specWith } from '../cilium/cluster-fixtures.js';

// Where the agent may put a secret's value, and how a spec naming one it lacks fails: before any
// plan (gather-facts), naming the spec field. A signed plan cannot route a value into an
// attribute or object that reads back (descr, a ConfigMap), nor name the APIC password.

const registered: string[] = [];
const secrets: Promise<SecretValues> = loadSecretValues({ secrets: { 'bgp-a': { value: 'pw-A-0123' }, 'bgp-b': { env: 'BGP_B' } } }, { BGP_B: 'pw-B-4567' }, (v) => registered.push(v));

const peerDn = 'uni/tn-t/out-o/lnodep-n/lifp-i/vlifp-[topology/pod-1/node-101]-[vlan-300]/peerP-[192.168.2.0/24]';
const apicPost = (className: string, secretAttr: string): ApicRequest => ({
  kind: 'apic', method: 'POST', dn: peerDn,
  body: { [className]: { attributes: { dn: peerDn, descr: 'changeflow BGP password from secret bgp-a' } } },
  secrets: [{ dn: peerDn, attribute: secretAttr, secretRef: 'bgp-a' }],
});
const kubeApply = (kind: string, name: string, key = 'password'): KubeRequest => ({
  kind: 'kubernetes', method: 'apply', force: false,
  ref: { apiVersion: 'v1', kind, name, namespace: 'kube-system' },
  manifest: { apiVersion: 'v1', kind, metadata: { name, namespace: 'kube-system' } },
  secretData: [{ key, secretRef: 'bgp-a' }],
});

describe('secret values on the bastion', () => {
  it('registers each value and its base64 form with the redactor, and names only the config entries', async () => {
    const s = await secrets;
    expect(registered).toEqual(['pw-A-0123', Buffer.from('pw-A-0123').toString('base64'), 'pw-B-4567', Buffer.from('pw-B-4567').toString('base64')]);
    expect(s.names).toEqual(['bgp-a', 'bgp-b']);
    expect(() => s('apic-password')).toThrow(/secret reference apic-password is not in this agent's config \(secrets: bgp-a, bgp-b\)/);
  });

  it('fills bgpPeerP.password and the password key of a *-bgp-password Secret', async () => {
    const s = await secrets;
    expect(withApicSecrets(apicPost('bgpPeerP', 'password'), s).body).toEqual({ bgpPeerP: { attributes: { dn: peerDn, descr: 'changeflow BGP password from secret bgp-a', password: 'pw-A-0123' } } });
    const applied = withKubeSecrets(kubeApply('Secret', 'aci-x-bgp-password'), s);
    expect(applied.method === 'apply' && applied.manifest['data']).toEqual({ password: Buffer.from('pw-A-0123').toString('base64') });
  });

  it.each<[string, () => unknown, RegExp]>([
    ['an agent with no secrets', () => withApicSecrets(apicPost('bgpPeerP', 'password'), undefined), /needs secrets \(bgp-a\) and this agent has none configured/],
    ['descr of a peer', async () => withApicSecrets(apicPost('bgpPeerP', 'descr'), await secrets), /in bgpPeerP\.descr .* only into bgpPeerP\.password \(write-only\); nothing was sent/],
    ['another class', async () => withApicSecrets(apicPost('fvTenant', 'password'), await secrets), /in fvTenant\.password/],
    ['a ConfigMap', async () => withKubeSecrets(kubeApply('ConfigMap', 'cilium-config'), await secrets), /only into the password key of a v1 Secret named \*-bgp-password/],
    ['another Secret', async () => withKubeSecrets(kubeApply('Secret', 'cilium-ca'), await secrets), /Secret cilium-ca/],
    ['another key', async () => withKubeSecrets(kubeApply('Secret', 'x-bgp-password', 'tls.key'), await secrets), /keys tls\.key/],
  ])('refuses to fill a value for %s', async (_what, send, message) => {
    await expect((async () => send())()).rejects.toThrow(message);
  });

  it('fails gather-facts naming the spec field when the spec names a secret the agent lacks', async () => {
    const spec = specWith([{ ...bgpChange, password: { secretRef: 'bgp-missing' } }]);
    expect(() => checkSpecSecrets(spec, undefined)).toThrow(/^changes\[0\]\.password\.secretRef: bgp-missing — this agent holds no such secret \(secrets: none\); add it under secrets: in the agent config/);
    expect(() => checkSpecSecrets(specWith([{ ...bgpChange, password: { secretRef: 'bgp-b' } }]), undefined)).toThrow(/bgp-b/);
    const s = await secrets;
    expect(() => checkSpecSecrets(specWith([{ ...bgpChange, password: { secretRef: 'bgp-b' } }]), s)).not.toThrow();
    // Through the agent's dispatcher: both collect commands refuse before touching a device.
    const untouched = () => { throw new Error('a device was reached'); };
    const run = commandRunner({ apic: untouched, cluster: untouched, secrets: s }, {} as Scopes);
    const ctx = {} as CommandContext;
    for (const command of [{ type: 'aci.collect' as const, fabric: 'dc1-aci', spec }, { type: 'cluster.collect' as const, cluster: 'prod-a', spec, ciliumStatus: false }]) {
      await expect(run(command, ctx)).rejects.toMatchObject({ name: 'TargetNotConfigured', message: expect.stringMatching(/^changes\[0\]\.password\.secretRef: bgp-missing — this agent holds no such secret \(secrets: bgp-a, bgp-b\)/) });
    }
  });
});
