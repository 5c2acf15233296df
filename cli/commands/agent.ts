import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';

export function register(program: Command): void {
  program
    .command('agent')
    .description('run the bastion agent: poll the site Activity and run APIC and cluster commands (built alone: npm run build → dist/agent/changeflow-agent.mjs)')
    .requiredOption('--config <file>', 'agent YAML config (see docs/agent.example.yaml)')
    .action(async (opts: { config: string }) => {
      const { runAgentUntilStopped } = await import('../../agent/daemon.js');
      // A bad config, a missing secret or an unreadable kubeconfig is bad input: one line, exit 3.
      if (!(await runAgentUntilStopped(opts.config))) process.exitCode = ExitCode.badInput;
    });
}
