import { describe, expect, it } from 'vitest';
import { fitResult } from '../../../agent/result-size.js';
import { canonicalJson, sha256Hex } from '../../../shared/canonical-json.js';
import { AgentResult, PROTOCOL, type CommandResult } from '../../../shared/agent-protocol/index.js';

// Step Functions refuses task output over 256 KiB: a large result is summarised in steps that keep
// valid JSON and what the workflow needs, with a digest of the full result — never cut mid-JSON.

const envelope = (results: CommandResult[]): AgentResult => ({
  protocol: PROTOCOL,
  changeId: 'chg-1',
  step: 'gather-facts',
  agent: { name: 'bastion-dc1', version: '0.1.0' },
  startedAt: '2026-11-23T05:00:00.000Z',
  finishedAt: '2026-11-23T05:00:01.000Z',
  results,
});

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

// What a real APIC returns for a class query: every MO carries volatile attributes nobody reads.
const tenantMo = (i: number) => ({
  fvTenant: {
    attributes: {
      dn: `uni/tn-t${i}`, name: `t${i}`, descr: '', nameAlias: '', annotation: '',
      modTs: '2026-11-23T05:00:00.000+00:00', uid: '15374', userdom: ':all:', lcOwn: 'local', monPolDn: 'uni/tn-common/monepg-default',
      extMngdBy: '', childAction: '', status: '', ownerKey: '', ownerTag: '',
    },
  },
});

const node = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: `w${i}`, labels: { bgp: 'enabled' }, managedFields: Array.from({ length: 20 }, (_, j) => ({ manager: `m${j}`, operation: 'Update', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {} } } } })) },
  status: { addresses: [{ type: 'InternalIP', address: `192.168.2.${i}` }] },
});

const gathered = (tenants: number, nodes: number) =>
  envelope([
    { type: 'aci.collect', responses: [{ name: 'tenants', imdata: Array.from({ length: tenants }, (_, i) => tenantMo(i)), totalCount: tenants }] },
    { type: 'cluster.collect', objects: Array.from({ length: nodes }, (_, i) => node(i)), ciliumStatus: { errors: {} } },
  ]);

describe('fitResult', () => {
  it('returns a result under the limit unchanged', () => {
    const result = gathered(3, 2);
    expect(fitResult(result, 250_000)).toBe(result);
  });

  it('drops only the volatile APIC attributes when that is enough, keeping every MO', () => {
    const result = gathered(1200, 0);
    const limit = Math.floor(bytes(result) * 0.8);
    const fitted = fitResult(result, limit);
    expect(bytes(fitted)).toBeLessThanOrEqual(limit);
    expect(fitted.summarised).toEqual({ digest: sha256Hex(canonicalJson(result)), bytes: bytes(result), dropped: ['volatile APIC attributes'] });
    const [aci] = fitted.results;
    if (aci?.type !== 'aci.collect') throw new Error('expected aci.collect');
    expect(aci.responses[0]?.imdata).toHaveLength(1200);
    expect(aci.responses[0]?.imdata[7]).toEqual({ fvTenant: { attributes: expect.not.objectContaining({ modTs: expect.anything() }) } });
    expect(aci.responses[0]?.imdata[7]).toMatchObject({ fvTenant: { attributes: { dn: 'uni/tn-t7', name: 't7' } } });
  });

  it('drops managedFields next, then details, and as a last resort the facts themselves — always valid and under the limit', () => {
    const result = gathered(2000, 300);
    for (const limit of [Math.floor(bytes(result) * 0.5), 20_000]) {
      const fitted = fitResult(result, limit);
      const text = JSON.stringify(fitted);
      expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(limit);
      expect(AgentResult.parse(JSON.parse(text))).toEqual(fitted);
      expect(fitted.summarised?.digest).toBe(sha256Hex(canonicalJson(result)));
      expect(fitted.summarised?.dropped.slice(0, 2)).toEqual(['volatile APIC attributes', 'managedFields of Kubernetes objects']);
    }
    expect(fitResult(result, 20_000).summarised?.dropped.at(-1)).toBe('collected facts');
  });

  it('keeps every op outcome (id, outcome, timing) when it drops op details', () => {
    const ops = Array.from({ length: 400 }, (_, i) => ({
      opId: `aci.create.op-${i}`, outcome: 'applied' as const, startedAt: '2026-11-23T05:00:00.000Z', durationMs: i, requests: 1, readback: 'matched' as const,
      detail: `read back ${'x'.repeat(400)}`,
    }));
    const result = { ...envelope([{ type: 'aci.apply', ok: true, ops }]), step: 'apply-aci' };
    const fitted = fitResult(result, 60_000);
    expect(bytes(fitted)).toBeLessThanOrEqual(60_000);
    const [applied] = fitted.results;
    if (applied?.type !== 'aci.apply') throw new Error('expected aci.apply');
    expect(applied.ok).toBe(true);
    expect(applied.ops.map((o) => [o.opId, o.outcome, o.durationMs])).toEqual(ops.map((o) => [o.opId, o.outcome, o.durationMs]));
    expect(applied.ops.every((o) => o.detail === undefined)).toBe(true);
  });

  it('says it could not fit rather than cutting: the result stays whole JSON, over the limit', () => {
    const ops = Array.from({ length: 3000 }, (_, i) => ({ opId: `aci.create.op-${i}`, outcome: 'applied' as const, startedAt: '2026-11-23T05:00:00.000Z', durationMs: 1, requests: 1, readback: 'matched' as const }));
    const fitted = fitResult({ ...envelope([{ type: 'aci.apply', ok: true, ops }]), step: 'apply-aci' }, 10_000);
    expect(bytes(fitted)).toBeGreaterThan(10_000);
    expect(fitted.results[0]).toMatchObject({ type: 'aci.apply', ops: { length: 3000 } });
    expect(fitted.summarised?.dropped).toHaveLength(4);
  });
});
