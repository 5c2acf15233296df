import { describe, expect, it } from 'vitest';
import { routeFaults, UnknownFaultComponent } from '../../../local/lab/index.js';

describe('routeFaults', () => {
  it('sends each fault to the emulator that owns its component, agent faults to the agent', () => {
    const routed = routeFaults(['apic.post=error@2', 'kubernetes.any=down', 'l2.lease=never', 'bgp.establish=never', 'cilium.connectivity=hang', 'servicenow.any=http500', 'jira.get=http503', 'agent.crash=apply.aci']);
    expect(Object.fromEntries(Object.entries(routed).map(([k, v]) => [k, v.map((f) => `${f.component}.${f.action}=${f.mode}${f.nth ? `@${f.nth}` : ''}`)]))).toEqual({
      apic: ['apic.post=error@2'], kubernetes: ['kubernetes.any=down', 'l2.lease=never'], world: ['bgp.establish=never', 'cilium.connectivity=hang'],
      servicenow: ['servicenow.any=http500'], jira: ['jira.get=http503'], agent: ['agent.crash=apply.aci'],
    });
  });

  it('refuses a component nobody owns, naming the ones it knows', () => {
    expect(() => routeFaults(['dns.any=down'])).toThrow(UnknownFaultComponent);
    expect(() => routeFaults(['dns.any=down'])).toThrow(/names component "dns"; the lab knows apic, kubernetes, l2, bgp, cilium, servicenow, jira, agent/);
  });
});
