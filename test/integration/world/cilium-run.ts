import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labCiliumExecutable } from '../../../local/lab/cilium-executable.js';
import { startLab, type Lab } from '../../../local/lab/index.js';
import { ApicSession, apicFixture, KubeClient, yamlFixture } from './lab-clients.js';

// A lab onboarded over the real APIs (floating SVI on the APIC, BGP objects in the cluster) and the
// lab `cilium` run as a separate process against it, the way the agent runs it.

export const root = join(import.meta.dirname, '../../..');

export interface CiliumRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface PeeredLab {
  lab: Lab;
  dir: string;
  kube: KubeClient;
  env: NodeJS.ProcessEnv;
  cilium(...args: string[]): Promise<CiliumRun>;
  setFaults(...faults: string[]): Promise<void>;
  /** Re-applies the Cilium BGP fixture with every peerASN set to `asn`. */
  peerAsn(asn: number): Promise<void>;
  close(): Promise<void>;
}

export async function startPeeredLab(): Promise<PeeredLab> {
  const dir = await mkdtemp(join(tmpdir(), 'changeflow-cilium-cli-'));
  const lab = await startLab({ dataDir: dir });
  const cilium = await labCiliumExecutable(root);
  const apic = await ApicSession.login(lab.endpoints.apic);
  await apic.post('uni/tn-k8s-prod-a', await apicFixture('apic-floating-svi.json'));
  const kube = new KubeClient(lab.endpoints.kubernetes);
  for (const obj of await yamlFixture('cilium-bgp.yaml')) await kube.apply(obj);
  await lab.world.refresh();
  const env = { ...process.env, KUBECONFIG: lab.endpoints.kubernetes.kubeconfig };
  return {
    lab, dir, kube, env,
    cilium: (...args) => {
      const started = Date.now();
      return new Promise((resolve) => {
        execFile(process.execPath, [cilium, ...args], { cwd: dir, env }, (err, stdout, stderr) => {
          resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr, ms: Date.now() - started });
        });
      });
    },
    setFaults: async (...faults) => {
      const res = await fetch(`${lab.world.url}/_lab/faults`, { method: 'POST', body: JSON.stringify({ faults }) });
      if (res.status !== 200) throw new Error(`setting faults answered ${res.status}`);
    },
    peerAsn: async (asn) => {
      const [clusterConfig] = await yamlFixture('cilium-bgp.yaml');
      const spec = clusterConfig?.['spec'] as { bgpInstances: Array<{ peers: Array<{ peerASN: number }> }> };
      for (const p of spec.bgpInstances[0]?.peers ?? []) p.peerASN = asn;
      await kube.apply(clusterConfig ?? {});
      await lab.world.refresh();
    },
    close: async () => {
      await lab.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
