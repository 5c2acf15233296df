import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';

export function register(program: Command): void {
  program
    .command('agent')
    .description('run the bastion agent: poll the site Activity and run APIC and cluster commands')
    .requiredOption('--config <file>', 'agent YAML config (see docs/agent.example.yaml)')
    .action(async (opts: { config: string }) => {
      const { loadAgentConfig } = await import('../../agent/config.js');
      const { startAgent } = await import('../../agent/start-agent.js');
      // A bad config, a missing secret or an unreadable kubeconfig is bad input: one line, exit 3.
      let agent;
      try {
        agent = await startAgent(await loadAgentConfig(opts.config));
      } catch (err) {
        process.stderr.write(`changeflow agent: ${(err as Error).message}\n`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`${JSON.stringify({ level: 'info', message: `received ${signal}, stopping` })}\n`);
          // Open sockets (kube client keep-alive) must not keep a stopped daemon alive.
          void agent.stop().then(() => {
            resolve();
            process.exit(0);
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
