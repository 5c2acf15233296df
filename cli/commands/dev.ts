import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';

// `changeflow dev`: the embedded default (docs/architecture.md §3.4–3.5). `npm start` is `dev --demo`.
export function register(program: Command): void {
  program
    .command('dev')
    .description('run the whole product locally: Step Functions engine, dynalite, HTTP API, lab fabric and cluster, bastion agent')
    .option('--port <port>', 'HTTP API port (0 = any free port)', '8080')
    .option('--data-dir <dir>', 'where state, endpoints.json and the kubeconfig go', '.changeflow')
    .option('--demo', 'submit the example tickets, show each change end to end, keep serving')
    .option('--lab-seed <dir>', 'seed the lab APIC from captured imdata JSON files')
    .option('--scenario <name>', 'lab scenario: default, or scale (200 leaves, 100 tenants, a 500-node cluster with 5 000 Services)', 'default')
    .option('--fault <spec>', 'inject a lab fault COMPONENT.ACTION=MODE[@N] (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--agent <where>', 'process: run the bastion agent here; external: start none and write <data-dir>/agent.yaml for one run apart (e.g. dist/agent/changeflow-agent.mjs)', 'process')
    .option('--apic-auth <how>', 'how the lab agent authenticates to the APIC: password (aaaLogin) or certificate (every request signed, no login)', 'password')
    .option('--drift-every <seconds>', 'run a drift check of every target with changes in force this often (POST /drift, as the stack\'s hourly EventBridge rule does; at least 10)')
    .action(async (opts: { port: string; dataDir: string; demo?: boolean; labSeed?: string; scenario: string; fault: string[]; agent: string; apicAuth: string; driftEvery?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`--port: expected 0–65535, found "${opts.port}"\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      if (opts.scenario !== 'default' && opts.scenario !== 'scale') {
        process.stderr.write(`--scenario: expected default or scale, found "${opts.scenario}"\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      const scenario = opts.scenario;
      if (opts.agent !== 'process' && opts.agent !== 'external') {
        process.stderr.write(`--agent: expected process or external, found "${opts.agent}"\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      if (opts.apicAuth !== 'password' && opts.apicAuth !== 'certificate') {
        process.stderr.write(`--apic-auth: expected password or certificate, found "${opts.apicAuth}"\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      const apicAuth = opts.apicAuth;
      const { parseDriftEvery, startDriftSchedule } = await import('../../local/dev/drift-schedule.js');
      const driftEvery = opts.driftEvery === undefined ? undefined : parseDriftEvery(opts.driftEvery);
      if (driftEvery && !driftEvery.ok) {
        process.stderr.write(`${driftEvery.message}\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      // The in-process Lambda handlers log as on AWS; in the foreground of `dev` only warnings show,
      // and their EMF metric lines (CloudWatch's input, nobody reads them here) only with CHANGEFLOW_DEBUG.
      process.env['POWERTOOLS_LOG_LEVEL'] ??= process.env['CHANGEFLOW_DEBUG'] ? 'DEBUG' : 'WARN';
      process.env['POWERTOOLS_METRICS_DISABLED'] ??= process.env['CHANGEFLOW_DEBUG'] ? 'false' : 'true';
      process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
      const { startDevStack } = await import('../../local/dev/dev-stack.js');
      const { printGuide } = await import('../../local/dev/guide.js');
      const started = Date.now();
      const quiet = (line: string) => {
        if (process.env['CHANGEFLOW_DEBUG']) process.stderr.write(`${line}\n`);
      };
      let stack;
      try {
        stack = await startDevStack({ port, dataDir: opts.dataDir, labSeed: opts.labSeed, scenario, faults: opts.fault, log: quiet, agent: opts.agent === 'external' ? 'external' : true, apicAuth });
      } catch (err) {
        process.stderr.write(`changeflow dev could not start: ${(err as Error).message}\n`);
        process.exitCode = ExitCode.failed;
        return;
      }
      process.stdout.write(`ready ${stack.endpointsPath}\n`);
      printGuide(stack.endpoints, Date.now() - started, process.stdout, { stateMachineArn: stack.sfn.runtime.registry.listStateMachines()[0]?.def.arn, dataDir: opts.dataDir });
      if (opts.agent === 'external') process.stdout.write(`agent: none started; run one with  node dist/agent/changeflow-agent.mjs --config ${stack.agentConfigPath}\n`);
      const driftSeconds = driftEvery?.ok ? driftEvery.seconds : undefined;
      const drift = driftSeconds === undefined
        ? undefined
        : startDriftSchedule({ api: stack.endpoints.api, everySeconds: driftSeconds, log: (line) => process.stdout.write(`${line}\n`) });
      if (driftSeconds !== undefined) process.stdout.write(`drift: a check of every target with changes in force every ${driftSeconds} s (changeflow audit show ID for each)\n`);
      const stop = async (signal: string) => {
        process.stdout.write(`\n${signal}: stopping…\n`);
        await drift?.stop();
        await stack.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      if (opts.demo) {
        const { runDemo } = await import('../../local/dev/demo.js');
        await runDemo(stack, process.stdout);
        process.stdout.write(`\nstill serving at ${stack.endpoints.api} — Ctrl-C to stop\n`);
      }
    });
}
