import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../agent/command-context.js';
import { runOps, type Device } from '../../../agent/commands/run-ops.js';
import { PROTOCOL, type AgentTask } from '../../../shared/agent-protocol/index.js';
import type { DeviceRequest } from '../../../shared/plan/index.js';

// Found by the fault suite (apic.any=http503 during apply): the worker abandons a command at its
// deadline, but the command's promise runs on. A read-back that was retrying must not be followed
// by a write once the APIC answers again — the workflow has already failed the task.

const task: AgentTask = {
  protocol: PROTOCOL, changeId: 'api-test', site: 'dc1', step: 'rollback', deadlineSeconds: 10, heartbeatSeconds: 2,
  commands: [{ type: 'rollback', fabric: 'dc1-aci', cluster: 'prod-a', ops: [], undo: [] }],
};

function contextWith(signal: AbortSignal): CommandContext {
  return {
    signal, task, deadline: new Date(Date.now() + 10_000), log: { log: () => undefined },
    checkpoint: () => {
      if (signal.aborted) throw signal.reason as Error;
    },
  };
}

const request: DeviceRequest = { kind: 'apic', method: 'POST', dn: 'uni/tn-k8s-prod-a', body: { fvTenant: { attributes: { name: 'k8s-prod-a' } } } };
const readback = [{ target: 'apic' as const, dn: 'uni/tn-k8s-prod-a', absent: true }];

describe('runOps on an abandoned command', () => {
  it('sends nothing when the command is aborted while its read-back is in flight', async () => {
    const abort = new AbortController();
    const sent: DeviceRequest[] = [];
    const device: Device = {
      send: async (r) => void sent.push(r),
      readback: async () => {
        abort.abort(new Error('rollback did not finish within its 10 s deadline'));
        return { holds: false, detail: 'uni/tn-k8s-prod-a still exists' };
      },
    };
    await expect(runOps(device, [{ id: 'aci.create.k8s-prod-a#0', requests: [request], readback }], contextWith(abort.signal), 'continue')).rejects.toThrow(/deadline/);
    expect(sent).toEqual([]);
  });

  it('still sends when the command is live', async () => {
    const sent: DeviceRequest[] = [];
    let reads = 0;
    const device: Device = { send: async (r) => void sent.push(r), readback: async () => ({ holds: reads++ > 0, detail: '' }) };
    const out = await runOps(device, [{ id: 'op', requests: [request], readback }], contextWith(new AbortController().signal), 'stop');
    expect(sent).toEqual([request]);
    expect(out.ops[0]).toMatchObject({ outcome: 'applied', readback: 'matched', requests: 1 });
  });
});
