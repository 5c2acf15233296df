import { describe, expect, it } from 'vitest';
import { compileCel, UnsupportedCel } from '../../support/cel-subset.js';
import { loadReleaseCrds } from '../../support/cilium-crds.js';

// The CRD validator of the schema suite refuses what the API server refuses: without these, a
// suite that finds every object valid would prove nothing.

const crds = loadReleaseCrds('1.18.3');
const v20 = loadReleaseCrds('1.20.0-dev');

const peerConfig = (spec: Record<string, unknown>, name = 'aci-prod-a') => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumBGPPeerConfig', metadata: { name }, spec });
const clusterConfig = (peers: unknown[]) => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumBGPClusterConfig',
  metadata: { name: 'aci-prod-a' },
  spec: { bgpInstances: [{ name: 'aci', localASN: 64512, peers }] },
});

function problems(object: { apiVersion: string; kind: string; [field: string]: unknown }, release = crds): string[] {
  const crd = release.find(object.apiVersion, object.kind);
  if (!crd) throw new Error(`no CRD for ${object.apiVersion} ${object.kind}`);
  return crd.validate(object);
}

describe('the CRD validator', () => {
  it('accepts a valid PeerConfig and fills the defaults before the CEL rules run', () => {
    expect(problems(peerConfig({ timers: { holdTimeSeconds: 90 } }))).toEqual([]);
  });

  it.each([
    ['an unknown field', peerConfig({ bfd: true }), /must NOT have additional properties/],
    ['a wrong type', peerConfig({ timers: { holdTimeSeconds: '90' } }), /must be integer/],
    ['a value out of range', peerConfig({ timers: { holdTimeSeconds: 2 } }), /must be >= 3/],
    ['a value outside the enum', peerConfig({ families: [{ afi: 'ipv5', safi: 'unicast' }] }), /must be equal to one of the allowed values/],
    ['a missing required field', peerConfig({ families: [{ afi: 'ipv4' }] }), /must have required property 'safi'/],
    ['a CEL rule broken (keepalive above hold time)', peerConfig({ timers: { holdTimeSeconds: 9, keepAliveTimeSeconds: 30 } }), /keepAliveTimeSeconds can not be larger than holdTimeSeconds/],
    ['a CEL rule broken by a default (hold time below the default keepalive)', peerConfig({ timers: { holdTimeSeconds: 10 } }), /keepAliveTimeSeconds can not be larger/],
    ['a name of 254 characters', peerConfig({}, `a${'b'.repeat(253)}`), /metadata\/name must match pattern/],
    ['a name with an empty label', peerConfig({}, 'aci-a..b'), /metadata\/name must match pattern/],
    ['a namespace on a cluster-scoped kind', { ...peerConfig({}), metadata: { name: 'x', namespace: 'kube-system' } }, /metadata\/namespace/],
    ['two list-map items with the same key', clusterConfig([{ name: 'leaf-101', peerAddress: '192.168.2.1' }, { name: 'leaf-101', peerAddress: '192.168.2.2' }]), /duplicate map entry \["leaf-101"\]/],
    ['a peer address that is not an IP', clusterConfig([{ name: 'leaf-101', peerAddress: '192.168.2.1/24' }]), /peerAddress must match pattern/],
  ])('refuses %s', (_what, object, problem) => {
    expect(problems(object).join('\n')).toMatch(problem);
  });

  it('refuses an IPv6 egress IP where the CRD is IPv4-only and takes it where isIP() allows it', () => {
    const policy = { apiVersion: 'cilium.io/v2', kind: 'CiliumEgressGatewayPolicy', metadata: { name: 'e' }, spec: { selectors: [{ podSelector: {} }], destinationCIDRs: ['2001:db8::/64'], egressGateway: { nodeSelector: {}, egressIP: '2001:db8::c8' } } };
    expect(problems(policy).join('\n')).toMatch(/egressIP must match format "ipv4"/);
    expect(problems(policy, v20)).toEqual([]);
    expect(problems({ ...policy, spec: { ...policy.spec, egressGateway: { nodeSelector: {}, egressIP: 'not-an-ip' } } }, v20).join('\n')).toMatch(/egressIP must be a valid IP address/);
  });
});

describe('the CEL subset', () => {
  it.each([
    ["self.advertisementType != 'Service' || has(self.service)", { advertisementType: 'Service' }, false],
    ["self.advertisementType != 'Service' || has(self.service)", { advertisementType: 'Service', service: {} }, true],
    ["self.advertisementType == 'Service' || !has(self.service)", { advertisementType: 'PodCIDR', service: {} }, false],
    ['self.keepAliveTimeSeconds <= self.holdTimeSeconds', { keepAliveTimeSeconds: 3, holdTimeSeconds: 9 }, true],
    ['self.keepAliveTimeSeconds <= self.holdTimeSeconds', { holdTimeSeconds: 9 }, false],
    ["self == '' || isIP(self)", '', true],
    ["self == '' || isIP(self)", '10.0.0.1', true],
    ["self == '' || isIP(self)", '10.0.0.1/32', false],
  ])('evaluates %s on %j as %s', (rule, self, ok) => {
    expect(compileCel(rule)(self).ok).toBe(ok);
  });

  it('refuses to guess at CEL it does not implement', () => {
    expect(() => compileCel('self.all(x, x > 0)')).toThrow(UnsupportedCel);
    expect(() => compileCel("self.matches('^a')")).toThrow(UnsupportedCel);
  });
});
