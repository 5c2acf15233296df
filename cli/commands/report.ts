import type { Command } from 'commander';
import type { ConnectivityReport } from '../../shared/cilium/parsers/connectivity-report.js';
import { ExitCode } from '../exit-codes.js';

// `changeflow report FILE`: summarise a `cilium connectivity test` JUnit file or console log.
// Exit codes (docs/architecture.md §3.4): 0 pass, 1 fail, 2 inconclusive, 3 unreadable file.

const exitFor: Record<ConnectivityReport['verdict'], number> = {
  pass: ExitCode.ok,
  fail: ExitCode.failed,
  // Same number as "rejected" elsewhere; for report it means "no verdict in the file".
  inconclusive: ExitCode.rejected,
};

const maxActions = 10;

export function renderReport(report: ConnectivityReport, file: string): string[] {
  const where = report.namespaces.length > 0 ? `, ${report.namespaces.join(', ')}` : '';
  const out = [`connectivity test: ${report.verdict.toUpperCase()} (${report.source === 'junit' ? 'JUnit' : 'console log'} ${file}${where})`];
  const actions = report.actions !== undefined && report.actions > 0 ? `; ${report.failedActions ?? 0}/${report.actions} actions failed` : '';
  out.push(`  ${report.tests} tests ran, ${report.failed} failed, ${report.skipped} skipped${actions}`);
  if (report.reason) out.push(`  ${report.reason}`);
  for (const test of report.failedTests) {
    const owners = test.owners.length > 0 ? `  (owners: ${test.owners.join(', ')})` : '';
    out.push(`✗ ${test.namespace ? `[${test.namespace}] ` : ''}${test.name}${owners}`);
    for (const action of test.actions.slice(0, maxActions)) {
      const firstLine = action.message?.split('\n')[0];
      out.push(`    - ${action.name}${action.peers ? `  ${action.peers}` : ''}${firstLine ? `: ${firstLine}` : ''}`);
    }
    if (test.actions.length > maxActions) out.push(`    … and ${test.actions.length - maxActions} more action(s)`);
    for (const message of test.messages) out.push(`    ! ${message.split('\n')[0]}`);
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('report')
    .description('summarise a `cilium connectivity test` JUnit file or console log (exit 0 pass, 1 fail, 2 inconclusive)')
    .argument('<file>', 'the --junit-file output, or the saved console log of cilium connectivity test')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const { readFile } = await import('node:fs/promises');
      const { readConnectivityResult } = await import('../../shared/cilium/parsers/connectivity-result.js');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        console.error(`cannot read ${file}: ${(err as Error).message} — pass the JUnit file (--junit-file) or the saved console log`);
        process.exitCode = ExitCode.badInput;
        return;
      }
      const report = readConnectivityResult(text);
      console.log(options.json ? JSON.stringify(report, null, 2) : renderReport(report, file).join('\n'));
      process.exitCode = exitFor[report.verdict];
    });
}
