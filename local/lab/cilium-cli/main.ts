import { Command, CommanderError } from 'commander';
import { clusterSnapshot } from '../world/cluster-objects.js';
import { ciliumVersionOf } from '../world/connectivity.js';
import { agentConfigs } from './agent-status.js';
import { peerRows, peersJson, peersTable } from './bgp-peers.js';
import { clusterObjectsFromApi, listCilium } from './cluster-api.js';
import { runConnectivityTest } from './connectivity/run.js';
import { parseGoDuration } from './go-format.js';
import { kubeApi, type KubeApi } from './kube-api.js';
import { clusterAccess, kubeconfigPath, type ClusterAccess } from './kubeconfig.js';
import { collectStatus } from './status.js';
import { systemClock } from '../../../shared/runtime/clock.js';

// The lab `cilium` (built by ../cilium-executable.ts; bin/cilium-lab.mjs runs the sources): cilium-cli v0.19 look-alike for `status`, `bgp peers`,
// `connectivity test` and `version` over the lab cluster (Kubernetes API) and world (verdicts).
// Like cilium-cli, any error goes to stderr as one line and the exit code is 1.

const cliVersion = 'v0.19.7';

interface Globals {
  kubeconfig?: string;
  context?: string;
}

async function connect(cmd: Command): Promise<{ access: ClusterAccess; api: KubeApi }> {
  const g = cmd.optsWithGlobals<Globals>();
  const access = await clusterAccess(kubeconfigPath(g.kubeconfig, process.env), g.context, process.env);
  return { access, api: kubeApi(access) };
}

function program(): Command {
  const root = new Command('cilium')
    .description('CLI to install, manage, & troubleshooting Cilium clusters running Kubernetes (changeflow lab)')
    .option('--kubeconfig <path>', 'Path to the kubeconfig file')
    .option('--context <name>', 'Kubernetes configuration context')
    .option('-n, --namespace <ns>', 'Namespace Cilium is running in', 'kube-system')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  root
    .command('status')
    .description('Display status')
    .option('-o, --output <format>', 'Output format. One of: json, summary', 'summary')
    .option('--wait', 'Wait for status to report success (no errors and warnings)')
    .option('--wait-duration <duration>', 'Maximum time to wait for status', '5m')
    .option('--ignore-warnings', 'Ignore warnings when waiting for status to report success')
    .option('--interactive [bool]', 'Refresh the status summary output after each retry when --wait flag is specified')
    .option('--verbose', 'Print more information')
    .action(async (o: { output: string; wait?: boolean; waitDuration: string }, cmd: Command) => {
      const { access, api } = await connect(cmd);
      const deadline = Date.now() + parseGoDuration(o.waitDuration) / 1e6;
      const look = async () => collectStatus(api, await agentConfigs(access.worldUrl));
      let status = await look();
      while (o.wait && status.errors.length > 0 && Date.now() < deadline) {
        await systemClock.sleep(250);
        status = await look();
      }
      const text = o.output === 'json' ? `${JSON.stringify(status.json, null, 2)}\n` : status.summary;
      if (o.wait && status.errors.length > 0) {
        process.stderr.write(text);
        throw new Error('Unable to determine status: timeout while waiting for status to become successful: context deadline exceeded');
      }
      process.stdout.write(text);
    });

  root
    .command('bgp')
    .description('Access to BGP control plane')
    .command('peers')
    .description('Lists BGP peering state')
    .option('-o, --output <format>', 'Output format. One of: json, summary', 'summary')
    .option('--node <name>', 'Node from which BGP status will be fetched, omit to select all nodes')
    .option('--wait-duration <duration>', 'Maximum time to wait for result, default 1 minute', '1m')
    .action(async (o: { output: string; node?: string }, cmd: Command) => {
      const { access, api } = await connect(cmd);
      const [objects, nodeConfigs] = await Promise.all([clusterObjectsFromApi(api, access.cluster), listCilium(api, 'ciliumbgpnodeconfigs')]);
      const rows = peerRows(nodeConfigs, clusterSnapshot(objects), new Date()).filter((r) => !o.node || r.node === o.node);
      process.stdout.write(o.output === 'json' ? peersJson(rows) : peersTable(rows));
    });

  root
    .command('connectivity')
    .description('Connectivity troubleshooting')
    .command('test')
    .description('Validate connectivity in cluster')
    .option('--test <regex>', 'Run tests that match one of the given regular expressions, skip tests by starting the expression with \'!\'', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--timeout <duration>', 'Maximum time to allow the connectivity test suite to take', '0s')
    .option('--junit-file <path>', 'Generate JUnit report and write to file')
    .option('--junit-property <k=v>', 'Add key=value properties to the generated junit file', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--test-namespace <ns>', 'Namespace to perform the connectivity in (always suffixed with a sequence number)', 'cilium-test')
    .option('--test-concurrency <n>', 'Count of namespaces to perform the connectivity tests in parallel', '1')
    .option('-t, --timestamp', 'Show timestamp in messages')
    .option('-v, --verbose', 'Show informational messages and don\'t buffer any lines')
    .option('-d, --debug', 'Show debug messages')
    .option('--exit-zero-on-failure', 'Exit with status code 0 even when tests fail')
    .option('--include-unsafe-tests', 'Include tests which can modify cluster nodes state')
    .option('--flow-validation <mode>', 'Enable Hubble flow validation { disabled | warning | strict }', 'warning')
    .option('--hubble [bool]', 'Automatically use Hubble for flow validation & troubleshooting')
    .option('--collect-sysdump-on-failure', 'Collect sysdump after a test fails')
    .option('--single-node', 'Limit to tests able to run on a single node')
    .option('--force-deploy', 'Force re-deploying test artifacts')
    .option('--node-selector <k=v>', 'Restrict connectivity pods to nodes matching this label')
    .option('--external-target <host>', 'Domain name to use as external target in connectivity tests')
    .option('--external-other-target <host>', 'Domain name to use as a second external target in connectivity tests')
    .option('--external-ip <ip>', 'IP to use as external target in connectivity tests')
    .option('--external-other-ip <ip>', 'Other IP to use as external target in connectivity tests')
    .option('--external-cidr <cidr>', 'CIDR to use as external target in connectivity tests')
    .option('--connect-timeout <duration>', 'Maximum time to allow initiation of the connection to take')
    .option('--request-timeout <duration>', 'Maximum time to allow a request to take')
    .action(async (o: { test: string[]; timeout: string; junitFile?: string; testNamespace: string; timestamp?: boolean; verbose?: boolean; exitZeroOnFailure?: boolean }, cmd: Command) => {
      const { access, api } = await connect(cmd);
      const argv = process.argv.slice(2);
      const at = argv.findIndex((a, i) => a === 'test' && argv[i - 1] === 'connectivity');
      process.exitCode = await runConnectivityTest(access, api, {
        tests: o.test, timeoutNs: parseGoDuration(o.timeout), junitFile: o.junitFile, testNamespace: o.testNamespace,
        timestamps: o.timestamp ?? false, verbose: o.verbose ?? false, exitZeroOnFailure: o.exitZeroOnFailure ?? false,
        args: at >= 0 ? argv.slice(at + 1) : [],
      }, { out: process.stdout, err: process.stderr });
    });

  root
    .command('version')
    .description('Display detailed version information')
    .option('--client', 'If true, shows client version only')
    .action(async (o: { client?: boolean }, cmd: Command) => {
      const lines = [`cilium-cli: ${cliVersion} compiled with go1.24.6 on ${process.platform}/amd64 (changeflow lab)`];
      if (!o.client) {
        const { access, api } = await connect(cmd);
        const running = ciliumVersionOf(clusterSnapshot(await clusterObjectsFromApi(api, access.cluster)));
        lines.push(`cilium image (default): v${running}`, `cilium image (stable): v${running}`, `cilium image (running): ${running}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  return root;
}

try {
  await program().parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? 0 : 1;
}
