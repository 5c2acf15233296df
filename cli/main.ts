import { Command, CommanderError, type Option } from 'commander';
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { useAwsOptions } from './api-signing.js';
import { ExitCode, exitCodeHelp } from './exit-codes.js';

// Each file in commands/ registers one subcommand and imports its heavy parts lazily,
// so adding a command never means editing this file and `changeflow validate` stays fast.
export interface CommandModule {
  register(program: Command): void;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
const packageJson = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');

function version(): string {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('changeflow')
    .description('Approved network change tickets → safe, verified, audited changes on ACI + Cilium')
    .version(version(), '-V, --version', 'print the changeflow version')
    .addHelpText('after', `\n${exitCodeHelp}\n`)
    // "did you mean …" for commands and options: commander suggests the nearest by edit distance.
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // A deployed API is IAM-protected: its requests are signed (cli/api-signing.ts) with these.
    .option('--region <region>', 'AWS region of a deployed API and table (sets AWS_REGION; else read from an execute-api URL)')
    .option('--profile <name>', 'AWS profile whose credentials sign requests to a deployed API (sets AWS_PROFILE)')
    .configureHelp({ showGlobalOptions: true })
    .hook('preAction', (_program, action) => refuseRepeatedOptions(action, process.argv))
    .hook('preAction', (program) => useAwsOptions(program.opts()));
  const files = (await readdir(commandsDir)).filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(commandsDir, file)).href)) as CommandModule;
    mod.register(program);
  }
  return program;
}

/**
 * An option that takes one value keeps only the last when given twice (`--api a --api b`), which
 * silently drops what the operator typed first: refuse it, naming the option. Repeatable options
 * (collected into a list, like `--fault`) and lists (`--facts DIR…`) are left alone.
 */
function refuseRepeatedOptions(action: Command, rawArgs: readonly string[]): void {
  const end = rawArgs.indexOf('--');
  const args = end === -1 ? rawArgs : rawArgs.slice(0, end);
  const takesOneValue = (o: Option) => (o.required || o.optional) && !o.variadic && !Array.isArray(o.defaultValue);
  for (const option of action.options.filter(takesOneValue)) {
    const given = args.filter((a) => a === option.long || a === option.short || (option.long !== undefined && a.startsWith(`${option.long}=`))).length;
    if (given > 1) {
      action.error(`error: ${option.long ?? option.short} was given ${given} times; it takes one value and all but the last would be dropped — give it once`, {
        exitCode: ExitCode.badInput,
        code: 'changeflow.repeatedOption',
      });
    }
  }
}

async function main(): Promise<void> {
  // `changeflow audit export | head`: a reader that stops early is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const program = await buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors are bad input.
      process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
      return;
    }
    throw err;
  }
}

await main();
