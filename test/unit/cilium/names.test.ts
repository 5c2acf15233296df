import { describe, expect, it } from 'vitest';
import { fitKubeName, kubeNameFrom, maxKubeName, poolAdvertisementName } from '../../../shared/cilium/manifests/names.js';

// Derived object names: unchanged for the names plans already use, valid DNS-1123 subdomains of
// at most 253 characters for the rest.

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('derived Kubernetes names', () => {
  it.each([
    ['aci-prod-a-l3out', 'aci-prod-a-l3out'],
    ['aci-Prod_A:L3Out', 'aci-prod-a-l3out'],
    ['aci-l3out.v4', 'aci-l3out.v4'],
    ['aci-x__', 'aci-x'],
  ])('keeps the name of %s as before: %s', (text, name) => {
    expect(kubeNameFrom(text)).toBe(name);
  });

  it.each([
    ['aci-a_.b', 'aci-a.b'],
    ['aci-Prod_A:.-L3out..x', 'aci-prod-a.l3out.x'],
    ['aci-.-.', 'aci'],
  ])('cleans each dot-separated label of %s on its own: %s', (text, name) => {
    expect(kubeNameFrom(text)).toBe(name);
    expect(name).toMatch(dnsSubdomain);
  });

  it('names the advertisement of a normal pool lb-<pool>, as existing plans do', () => {
    expect(poolAdvertisementName('pool-red')).toBe('lb-pool-red');
    expect(poolAdvertisementName('p'.repeat(250))).toBe(`lb-${'p'.repeat(250)}`);
  });

  it('keeps the advertisement of a 253-character pool within 253 characters, distinct per pool', () => {
    const a = poolAdvertisementName(`${'a'.repeat(250)}.bc`);
    const b = poolAdvertisementName(`${'a'.repeat(250)}.bd`);
    expect(a.length).toBeLessThanOrEqual(maxKubeName);
    expect(a).toMatch(dnsSubdomain);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^lb-a+-[0-9a-f]{8}$/);
  });

  it('does not end a shortened name inside a label separator', () => {
    const name = fitKubeName(`${'a'.repeat(243)}.${'b'.repeat(20)}`);
    expect(name).toMatch(dnsSubdomain);
    expect(name.length).toBeLessThanOrEqual(maxKubeName);
  });
});
