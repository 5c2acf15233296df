import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChangeflowError } from '../../shared/errors.js';
import { startApicLab, type ApicLab } from './apic/lab.js';
import type { ScenarioName as ApicScenarioName } from './apic/scenario.js';
import { addWorldExtension } from './cilium-cli/kubeconfig.js';
import type { LabEndpoints } from './endpoints.js';
import { FaultBook, parseFault, type FaultSpec } from './faults.js';
import { startJiraLab, type JiraLab } from './jira/server.js';
import { startKubernetesLab, type KubernetesLab } from './kubernetes/lab.js';
import { startServiceNowLab, type ServiceNowLab } from './servicenow/server.js';
import { startWorld, type World } from './world/world.js';
import { labCiliumExecutable } from './cilium-executable.js';

// The lab: the four emulators and the world that joins APIC and cluster, started together, with
// each --fault routed to the emulator that owns its component. `changeflow lab` runs this alone;
// `changeflow dev` runs it under the local stack and takes the agent.* faults for the agent.

export interface LabOptions {
  /** Where the kubeconfig goes (`DIR/kubeconfig`); a temp dir when omitted. */
  dataDir?: string;
  /** Captured APIC imdata to seed the fabric from (`--lab-seed DIR`). */
  seedDir?: string;
  /** COMPONENT.ACTION=MODE[@N] specs (`--fault`, repeatable). */
  faults?: string[];
  /**
   * The lab scenario of both emulators (`--scenario`): `default` (docs/architecture.md §3.5) or
   * `scale` (local/lab/scale-scenario.ts). apicScenario / kubernetesScenario pick one side alone.
   */
  scenario?: LabScenario;
  apicScenario?: ApicScenarioName;
  /** Port of the APIC emulator (`changeflow lab --port`); the other emulators take free ports. */
  apicPort?: number;
  kubernetesScenario?: string;
  /** Puts a `cilium` executable (the lab one, defaulting KUBECONFIG to this lab) in this directory. */
  ciliumBinaryDir?: string;
  /** Added to every API answer of that emulator, to stand in for a real device's round trip (benchmarks). */
  latencyMs?: LabLatency;
}

export interface LabLatency {
  readonly apic?: number;
  readonly kubernetes?: number;
}

export interface Lab {
  apic: ApicLab;
  kubernetes: KubernetesLab;
  servicenow: ServiceNowLab;
  jira: JiraLab;
  world: World;
  /** The emulators' part of endpoints.json. */
  endpoints: LabEndpoints;
  /** agent.* faults: not the lab's to inject, handed to whoever runs the agent. */
  agentFaults: FaultSpec[];
  /** Path of the `cilium` executable when ciliumBinaryDir was given. */
  ciliumBinary?: string;
  close(): Promise<void>;
}

export const labScenarios = ['default', 'scale'] as const;
export type LabScenario = (typeof labScenarios)[number];

export class UnknownFaultComponent extends ChangeflowError {
  override readonly name = 'UnknownFaultComponent' as const;
}

const owners = { apic: 'apic', kubernetes: 'kubernetes', l2: 'kubernetes', bgp: 'world', cilium: 'world', servicenow: 'servicenow', jira: 'jira', agent: 'agent' } as const;
type Owner = (typeof owners)[keyof typeof owners];

/** Splits fault specs by the emulator (or the agent) that must inject them. */
export function routeFaults(specs: ReadonlyArray<string>): Record<Owner, FaultSpec[]> {
  const out: Record<Owner, FaultSpec[]> = { apic: [], kubernetes: [], world: [], servicenow: [], jira: [], agent: [] };
  for (const text of specs) {
    const fault = parseFault(text);
    const owner = (owners as Record<string, Owner | undefined>)[fault.component];
    if (!owner) {
      throw new UnknownFaultComponent(`fault "${text}" names component "${fault.component}"; the lab knows ${Object.keys(owners).join(', ')} — fix the --fault spec`);
    }
    out[owner].push(fault);
  }
  return out;
}

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function writeCiliumShim(dir: string, kubeconfig: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'cilium');
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  // The real CLI reads KUBECONFIG; default it to this lab so `DIR/cilium status` just works.
  const script = [
    '#!/bin/sh',
    '# The changeflow lab `cilium` (cilium-cli v0.19 look-alike over the lab cluster and world).',
    `: "\${KUBECONFIG:=${kubeconfig}}"`,
    'export KUBECONFIG',
    `exec ${quote(process.execPath)} ${quote(await labCiliumExecutable(repoRoot))} "$@"`,
    '',
  ].join('\n');
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}

export async function startLab(opts: LabOptions = {}): Promise<Lab> {
  const faults = routeFaults(opts.faults ?? []);
  const apic = await startApicLab({ port: opts.apicPort, scenario: opts.apicScenario ?? opts.scenario, seedDir: opts.seedDir, faults: new FaultBook(faults.apic), latencyMs: opts.latencyMs?.apic });
  const started: Array<{ close(): Promise<void> }> = [apic];
  try {
    // A short resync so the cluster side follows APIC changes within a quarter second.
    const kubernetes = await startKubernetesLab({ scenario: opts.kubernetesScenario ?? opts.scenario, dataDir: opts.dataDir, faults: new FaultBook(faults.kubernetes), resyncMs: 250, latencyMs: opts.latencyMs?.kubernetes });
    started.push(kubernetes);
    const [servicenow, jira] = await Promise.all([startServiceNowLab({ faults: faults.servicenow }), startJiraLab({ faults: faults.jira })]);
    started.push(servicenow, jira);
    const world = await startWorld({ apic, kubernetes, faults: new FaultBook(faults.world) });
    started.push(world);
    await addWorldExtension(kubernetes.kubeconfigPath, world.url);
    await world.refresh();
    const ciliumBinary = opts.ciliumBinaryDir ? await writeCiliumShim(opts.ciliumBinaryDir, kubernetes.kubeconfigPath) : undefined;
    return {
      apic, kubernetes, servicenow, jira, world, agentFaults: faults.agent, ciliumBinary,
      endpoints: {
        apic: { url: apic.url, username: apic.username, password: apic.password },
        // Plain HTTP on the same port: token clients need no CA; kubectl and cilium use the kubeconfig (HTTPS).
        kubernetes: { url: kubernetes.httpUrl, token: kubernetes.token, kubeconfig: kubernetes.kubeconfigPath },
        servicenow: { url: servicenow.url, username: servicenow.username, password: servicenow.password },
        jira: { url: jira.url, email: jira.email, token: jira.token },
        world: { url: world.url },
      },
      close: async () => {
        await world.close();
        await Promise.all([apic.close(), kubernetes.close(), servicenow.close(), jira.close()]);
      },
    };
  } catch (err) {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
    throw err;
  }
}
