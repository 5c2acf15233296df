import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { styleText } from 'node:util';
import { ExitCode } from '../exit-codes.js';

// `changeflow validate FILE [--json]`: checks a ChangeSpec (or a ChangeRequest holding one) with
// the same schema the webhook and the workflow use, so "valid" here means "accepted there".

export interface ValidateOutcome {
  readonly exitCode: ExitCode;
  /** What the command prints on stdout, newline-terminated. */
  readonly output: string;
}

interface Issue {
  readonly path: string;
  readonly message: string;
}

function unreadable(file: string, err: unknown): Issue {
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
  return { path: '', message: `cannot read ${file}: ${reason}; give the path of a ChangeSpec YAML or JSON file` };
}

function invalid(file: string, issues: ReadonlyArray<Issue>, json: boolean): ValidateOutcome {
  const output = json
    ? `${JSON.stringify({ valid: false, issues }, null, 2)}\n`
    : [`invalid: ${file}`, ...issues.map((i) => `  ${i.path || '(document)'}: ${i.message}`)].join('\n') + '\n';
  return { exitCode: ExitCode.badInput, output };
}

/** Validates one file and renders the result; the CLI action and the tests share this path. */
export async function validateFile(file: string, options: { json?: boolean } = {}): Promise<ValidateOutcome> {
  const json = options.json ?? false;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return invalid(file, [unreadable(file, err)], json);
  }
  const { parseChangeDocumentText, summarizeTarget } = await import('../../shared/spec/index.js');
  const { describeChange, summarizeChange } = await import('../../shared/kinds/summary.js');
  const { ticketSpecText } = await import('../../shared/intake/ticket-document.js');
  // A ticket file is judged by the spec inside it, found where intake looks; paths name the field.
  const ticket = ticketSpecText(text);
  if (ticket.kind === 'no-spec') return invalid(file, [{ path: '', message: ticket.message }], json);
  const result = parseChangeDocumentText(ticket.kind === 'ticket' ? ticket.text : text);
  if (!result.ok) {
    return invalid(file, ticket.kind === 'ticket' ? result.issues.map((i) => ({ path: i.path ? `${ticket.source}: ${i.path}` : ticket.source, message: i.message })) : result.issues, json);
  }

  const { spec, request } = result;
  const changes = spec.changes.map((change, i) => ({
    path: `changes[${i}]`,
    type: change.type,
    state: change.state,
    text: describeChange(change, spec.aci.fabricAsn),
  }));
  const requestLine = ticket.kind === 'ticket'
    ? `${ticket.system === 'servicenow' ? 'ServiceNow' : 'Jira'} ticket, ChangeSpec from ${ticket.source}`
    : request
    ? `ChangeRequest from ${request.source} by ${request.requestedBy}, ticket ${request.ticket.system}${request.ticket.number ? ` ${request.ticket.number}` : ''}`
    : undefined;
  if (json) {
    const summary = { kind: ticket.kind === 'ticket' ? `${ticket.system} ticket` : request ? 'ChangeRequest' : 'ChangeSpec', mode: spec.mode, target: spec.target, changes };
    return { exitCode: ExitCode.ok, output: `${JSON.stringify({ valid: true, summary }, null, 2)}\n` };
  }
  const lines = [
    `valid: ${file}`,
    ...(requestLine ? [`  ${requestLine}`] : []),
    `  ${summarizeTarget(spec)}`,
    ...spec.changes.map((change, i) => `  changes[${i}] ${summarizeChange(change, spec.aci.fabricAsn)}`),
  ];
  return { exitCode: ExitCode.ok, output: `${lines.join('\n')}\n` };
}

// Colour only the verdict word, and only on a terminal: pipes and CI logs get plain text.
function coloured(output: string): string {
  return output.replace(/^(valid|invalid):/, (_, verdict: string) =>
    `${styleText(verdict === 'valid' ? 'green' : 'red', verdict)}:`,
  );
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('check a ChangeSpec, a ChangeRequest or a ServiceNow/Jira ticket file (the spec inside it) against ChangeSpec v1; exit 0 valid, 3 invalid')
    .argument('<file>', 'ChangeSpec YAML or JSON, ChangeRequest JSON, or ServiceNow/Jira ticket JSON')
    .option('--json', 'print {valid, issues?, summary?} as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const outcome = await validateFile(file, { json: opts.json ?? false });
      process.stdout.write(process.stdout.isTTY && !opts.json ? coloured(outcome.output) : outcome.output);
      process.exitCode = outcome.exitCode;
    });
}
