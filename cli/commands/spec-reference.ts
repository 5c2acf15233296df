import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.js';

// `changeflow spec-reference > docs/changespec.md`: the reference is generated from the schemas,
// and a unit test keeps the committed copy equal to this output.

export function register(program: Command): void {
  program
    .command('spec-reference')
    .description('print the ChangeSpec v1 reference (Markdown) generated from the schemas')
    .action(async () => {
      const { renderSpecReference } = await import('../../shared/spec/reference-doc.js');
      process.stdout.write(renderSpecReference());
      process.exitCode = ExitCode.ok;
    });
}
