import { Command, CommanderError } from 'commander';
import { runAgentUntilStopped } from './daemon.js';
import { agentVersion } from './start-agent.js';

// Entry of the built bastion agent (`npm run build` → dist/agent/changeflow-agent.mjs): one file
// that plain `node` runs from an empty folder. `changeflow agent` is the same daemon from a checkout.

/** Exit 3 is "bad input", as for the changeflow CLI (cli/exit-codes.ts). */
const badInputExit = 3;

const program = new Command('changeflow-agent')
  .description('changeflow bastion agent: polls the Step Functions Activity of each configured site and runs the signed APIC and cluster commands of its tasks')
  .version(agentVersion, '-V, --version', 'print the agent version')
  .requiredOption('--config <file>', 'agent YAML config (docs/agent.example.yaml)')
  .showHelpAfterError()
  .exitOverride()
  .action(async (opts: { config: string }) => {
    if (!(await runAgentUntilStopped(opts.config))) process.exitCode = badInputExit;
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // --help and --version end through exitOverride with code 0; a usage error is bad input.
  if (!(err instanceof CommanderError)) throw err;
  process.exitCode = err.exitCode === 0 ? 0 : badInputExit;
}
