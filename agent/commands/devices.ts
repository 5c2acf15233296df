import type { ApicClient } from '../apic/client.js';
import { ApicError } from '../apic/errors.js';
import type { AgentGate, ClusterClient } from '../cluster/index.js';
import type { DeviceRequest } from '../../shared/plan/index.js';
import { apicReadbackHolds } from './apic-readback.js';
import { kubeReadbackHolds } from './kube-readback.js';
import { sendKubeRequest } from './kube-request.js';
import type { Device } from './run-ops.js';
import { ChangeflowError } from '../../shared/errors.js';
import { withApicSecrets, withKubeSecrets, type SecretValues } from '../secret-values.js';

// The two devices an agent writes to, behind the same small interface.

export class WrongTarget extends ChangeflowError {
  override readonly name = 'AgentError' as const;
}

/** `secrets`: the values of the references a request names (write-only attributes). */
export function apicDevice(client: ApicClient, secrets?: SecretValues): Device {
  return {
    async send(given: DeviceRequest) {
      if (given.kind !== 'apic') throw new WrongTarget(`an APIC op carries a ${given.kind} request`);
      const request = withApicSecrets(given, secrets);
      if (request.method === 'POST') await client.post(request.dn, request.body ?? {});
      else await client.delete(request.dn);
    },
    // 103 "object already exists" (a `created` status), 102 "configured object not found" (a `modified` one).
    refusedAsStale: (err) => err instanceof ApicError && (err.code === '103' || err.code === '102'),
    readback: (checks) => apicReadbackHolds(client, checks),
  };
}

/**
 * `gate`: the per-node health gate of node-by-node restarts (agent-gate.ts). `validated`: every
 * apply was dry-run before any write (cluster-preflight.ts), so none is dry-run again.
 */
export function clusterDevice(client: ClusterClient, rolloutTimeoutMs: number, gate?: AgentGate, secrets?: SecretValues, validated = false): Device {
  return {
    async send(request: DeviceRequest) {
      if (request.kind !== 'kubernetes') throw new WrongTarget(`a cluster op carries an ${request.kind} request`);
      return sendKubeRequest(client, withKubeSecrets(request, secrets), rolloutTimeoutMs, gate, validated);
    },
    readback: (checks, written) => kubeReadbackHolds(client, checks, written),
  };
}
