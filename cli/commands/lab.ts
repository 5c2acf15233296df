import type { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExitCode } from '../exit-codes.js';

// `changeflow lab`: the lab emulators and the lab world alone (docs/architecture.md §3.5), for running
// Ansible, kubectl or the agent against them. Writes <data-dir>/endpoints.json, prints
// `ready <path>` and serves until Ctrl-C/SIGTERM, then closes everything and exits 0.

interface LabFlags {
  port: string;
  dataDir: string;
  labSeed?: string;
  scenario: string;
  fault: string[];
}

export function register(program: Command): void {
  program
    .command('lab')
    .description('run only the lab emulators (APIC, Kubernetes + Cilium, ServiceNow, Jira) and the lab world')
    .option('--port <port>', 'port of the APIC emulator (0 = any free port; the others always take free ports)', '0')
    .option('--data-dir <dir>', 'where endpoints.json, the kubeconfig and the lab cilium go', '.changeflow')
    .option('--lab-seed <dir>', 'seed the fabric from captured APIC imdata JSON files instead of the default scenario')
    .option('--scenario <name>', 'lab scenario: default, or scale (200 leaves, 100 tenants, a 500-node cluster with 5 000 Services)', 'default')
    .option('--fault <spec>', 'COMPONENT.ACTION=MODE[@N], repeatable (e.g. bgp.establish=never, apic.post=error@2)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (flags: LabFlags) => {
      const [{ startLab, routeFaults }, { writeEndpoints }] = await Promise.all([import('../../local/lab/index.js'), import('../../local/lab/endpoints.js')]);
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`--port expects a port number 0-65535; got "${flags.port}"\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      const scenario = flags.scenario;
      if (scenario !== 'default' && scenario !== 'scale') {
        process.stderr.write(`--scenario expects default or scale; got "${scenario}"\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      try {
        routeFaults(flags.fault);
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      const dataDir = resolve(flags.dataDir);
      process.stderr.write('starting the lab: APIC, Kubernetes + Cilium, ServiceNow, Jira, world…\n');
      const started = Date.now();
      let lab: Awaited<ReturnType<typeof startLab>>;
      try {
        lab = await startLab({ dataDir, seedDir: flags.labSeed, scenario, faults: flags.fault, apicPort: port, ciliumBinaryDir: join(dataDir, 'bin') });
      } catch (err) {
        process.stderr.write(`cannot start the lab: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = ExitCode.failed;
        return;
      }
      if (lab.agentFaults.length > 0) {
        process.stderr.write(`ignored (no agent runs under \`changeflow lab\`): ${lab.agentFaults.map((f) => `${f.component}.${f.action}=${f.mode}`).join(', ')}\n`);
      }
      const path = await writeEndpoints(dataDir, lab.endpoints);
      const e = lab.endpoints;
      process.stdout.write(
        [
          `ready ${path}`,
          `  apic        ${e.apic.url}`,
          `  kubernetes  ${lab.kubernetes.url}  (KUBECONFIG=${e.kubernetes.kubeconfig})`,
          `  servicenow  ${e.servicenow.url}`,
          `  jira        ${e.jira.url}`,
          `  world       ${lab.world.url}  (faults: POST /_lab/faults)`,
          `  cilium      ${lab.ciliumBinary ?? ''} status`,
          `credentials are in ${path}; started in ${((Date.now() - started) / 1000).toFixed(1)} s; Ctrl-C stops the lab`,
          '',
        ].join('\n'),
      );
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
      process.stderr.write('stopping the lab…\n');
      await lab.close();
      // A stopped lab leaves no endpoints behind for the next command to trust.
      await rm(path, { force: true });
      process.exitCode = ExitCode.ok;
    });
}
