import type { Command } from 'commander';

// `changeflow plan FILE --facts DIR…`: the prechecks and the plan a change would get, offline,
// against facts captured the way operators capture them (APIC answers in one folder, kubectl
// output in another is fine: every folder given is read). Exit 0 when no precheck failed
// (unknowns listed), 2 when one did, 3 on bad input. `examples/facts/` matches the default lab.
export function register(program: Command): void {
  program
    .command('plan')
    .description('precheck and plan a ChangeSpec offline against captured APIC/kubectl/cilium JSON')
    .argument('<file>', 'ChangeSpec (YAML or JSON) or ChangeRequest JSON')
    .requiredOption('--facts <dirs...>', 'folders of captured facts: APIC imdata, `kubectl get -o json`, `cilium status -o json` (*.json, read recursively); several may follow one --facts')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { facts: string[]; json?: boolean }) => {
      const { runOfflinePlan } = await import('../offline-plan.js');
      const result = await runOfflinePlan(file, opts.facts, { json: Boolean(opts.json), colour: Boolean(process.stdout.isTTY) });
      process.stdout.write(result.output);
      process.exitCode = result.exitCode;
    });
}

