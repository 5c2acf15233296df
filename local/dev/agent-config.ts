import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { ClusterKind, type AgentConfig } from '../../agent/config.js';

/** The secret reference the lab agent resolves (bgpPeering.password.secretRef). */
export const labBgpSecretRef = 'lab-bgp';

// The agent config the dev stack writes for its lab: the same file format an operator writes
// for a real bastion (docs/agent.example.yaml), pointing at the local engine and the emulators.
export async function writeLabAgentConfig(
  path: string,
  lab: {
    site: string;
    activityArn: string;
    sfnEndpoint: string;
    fabric: string;
    /** Token auth with the password, or signature auth with the certificate whose key is in keyFile. */
    apic: { url: string; username: string; password: string; certificate?: { name: string; keyFile: string } };
    cluster: string;
    kubeconfig: string;
    ciliumBinary: string;
    healthFile: string;
    /** Tenants the lab agent may write (the default scenario's). */
    tenants: readonly string[];
    planKey: { keyId: string; publicKeyFile: string };
    /** The stack's table, where the agent writes a long step's progress and results too large to send inline (dynalite here). */
    progress?: { tableName: string; endpoint: string };
  },
): Promise<void> {
  const config: AgentConfig = {
    agent: { name: `lab-agent-${lab.site}`, concurrency: 1, healthFile: lab.healthFile, maxResultBytes: 250_000, inlineResultBytes: 32_768, logLevel: 'info' },
    sites: { [lab.site]: { activityArn: lab.activityArn, region: 'us-east-1', endpoint: lab.sfnEndpoint } },
    fabrics: {
      [lab.fabric]: {
        url: lab.apic.url, username: lab.apic.username, timeoutMs: 30_000,
        ...(lab.apic.certificate
          ? { certificate: { name: lab.apic.certificate.name, privateKey: { file: lab.apic.certificate.keyFile } } }
          : { password: { value: lab.apic.password } }),
        scope: { tenants: [...lab.tenants], dnPrefixes: [], snapshotPolicy: 'changeflow' },
      },
    },
    clusters: {
      [lab.cluster]: { kubeconfig: lab.kubeconfig, ciliumBinary: lab.ciliumBinary, ciliumNamespace: 'kube-system', scope: { kinds: [...ClusterKind.options], namespaces: ['kube-system'] } },
    },
    // The lab's BGP password for specs that name `password: {secretRef: lab-bgp}`: a fresh value
    // per stack, known only to this file (and so to the agent), as on a bastion.
    secrets: { [labBgpSecretRef]: { value: randomBytes(18).toString('base64url') } },
    planSigning: { keys: [{ keyId: lab.planKey.keyId, publicKey: { file: lab.planKey.publicKeyFile } }] },
    ...(lab.progress ? { progress: { tableName: lab.progress.tableName, region: 'us-east-1', endpoint: lab.progress.endpoint } } : {}),
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}
