import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../agent/command-context.js';
import { ApicError } from '../../../agent/apic/errors.js';
import { apicDevice } from '../../../agent/commands/devices.js';
import { runOps, type Device } from '../../../agent/commands/run-ops.js';
import type { ApicClient } from '../../../agent/apic/client.js';
import { PROTOCOL, type AgentTask } from '../../../shared/agent-protocol/index.js';
import type { DeviceRequest, Readback } from '../../../shared/plan/index.js';

// Write-first APIC ops (issue 14): the POST goes out without a read before it; only the APIC's
// refusal of a stale status (103 exists, 102 not found) earns a read, and only a read-back that
// then holds turns the refusal into `unchanged`.

const task: AgentTask = {
  protocol: PROTOCOL, changeId: 'write-first', site: 'dc1', step: 'apply-aci', deadlineSeconds: 10, heartbeatSeconds: 2,
  commands: [{ type: 'aci.apply', fabric: 'dc1-aci', ops: [] }],
};
const ctx: CommandContext = { signal: new AbortController().signal, task, deadline: new Date(Date.now() + 10_000), log: { log: () => undefined }, checkpoint: () => undefined };
const request: DeviceRequest = { kind: 'apic', method: 'POST', dn: 'uni/tn-k8s-prod-a', body: { fvTenant: { attributes: { name: 'k8s-prod-a' } } } };
const readback: Readback[] = [{ target: 'apic', dn: 'uni/tn-k8s-prod-a/ap-egress', attributes: { name: 'egress' }, absent: false }];
const exists = new ApicError(400, '103', 'Cannot create object uni/tn-k8s-prod-a/ap-egress: object already exists', 'POST', '/api/mo/uni/tn-k8s-prod-a.json');

/** A device that answers `send` with `answer` and read-backs with `holds`, recording the calls in order. */
function device(answer: () => unknown, holds: boolean, calls: string[]): Device {
  const apic = apicDevice({} as ApicClient);
  return {
    send: async () => {
      calls.push('send');
      const a = answer();
      if (a instanceof Error) throw a;
    },
    refusedAsStale: apic.refusedAsStale,
    readback: async () => {
      calls.push('read');
      return { holds, detail: holds ? '1 object(s) read back as planned' : 'uni/tn-k8s-prod-a/ap-egress name is "other", expected "egress"' };
    },
  };
}

const op = { id: 'aci.create.k8s-prod-a', requests: [request], readback, writeFirst: true };

describe('write-first APIC ops', () => {
  it('sends the POST first and reads once, after it', async () => {
    const calls: string[] = [];
    const out = await runOps(device(() => undefined, true, calls), [op], ctx, 'stop');
    expect(calls).toEqual(['send', 'read']);
    expect(out.ops[0]).toMatchObject({ outcome: 'applied', readback: 'matched', requests: 1 });
  });

  it('is unchanged when the APIC refuses the create as existing and the read-back holds (an earlier run wrote it)', async () => {
    const calls: string[] = [];
    const out = await runOps(device(() => exists, true, calls), [op], ctx, 'stop');
    expect(calls).toEqual(['send', 'read']);
    expect(out).toMatchObject({ ok: true, ops: [{ outcome: 'unchanged', readback: 'matched', requests: 1 }] });
  });

  it('fails with the APIC refusal when the existing objects are not the planned ones', async () => {
    const calls: string[] = [];
    const out = await runOps(device(() => exists, false, calls), [op], ctx, 'stop');
    expect(calls).toEqual(['send', 'read']);
    expect(out.ok).toBe(false);
    expect(out.ops[0]?.outcome).toBe('failed');
    expect(out.ops[0]?.error).toContain('error 103');
  });

  it('does not read after a refusal that is not about staleness (a bad value, 120)', async () => {
    const calls: string[] = [];
    const bad = new ApicError(400, '120', 'property ttl of uni/tn-k8s-prod-a/out-l3/peerP failed validation for value 300', 'POST', '/api/mo/uni/tn-k8s-prod-a.json');
    const out = await runOps(device(() => bad, true, calls), [op], ctx, 'stop');
    expect(calls).toEqual(['send']);
    expect(out.ops[0]).toMatchObject({ outcome: 'failed', requests: 1 });
  });

  it('reads first when the op is not write-first (rollback inverses)', async () => {
    const calls: string[] = [];
    const out = await runOps(device(() => undefined, true, calls), [{ ...op, writeFirst: false }], ctx, 'continue');
    expect(calls).toEqual(['read']);
    expect(out.ops[0]).toMatchObject({ outcome: 'unchanged', requests: 0 });
  });
});
