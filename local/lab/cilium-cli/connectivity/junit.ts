import { formatGoFloat } from '../go-format.js';

// The JUnit XML cilium-cli writes (connectivity/internal/junit + check/junit.go): Go's
// encoding/xml with Indent("  ", "    ") — so even the root element carries the two-space prefix,
// empty elements are written open/close, and `\n` inside text becomes &#xA;. A failed test lists
// its failed actions one per line and repeats each action's message in a `failureMessage`
// attribute; Go writes one attribute per message, so two failed actions give a duplicate
// attribute, exactly as the real CLI does (reference/cilium.md §3).

export interface JunitCase {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  seconds: number;
  /** Action strings of the failed actions, for the failure text. */
  failedActions: string[];
  failureMessages: string[];
}

export interface JunitRun {
  /** Arguments after `cilium connectivity test`, joined by | into the Args property. */
  args: string[];
  /** Start of the first test, local time, Go layout 2006-01-02T15:04:05. */
  timestamp: string;
  cases: JunitCase[];
}

export function xmlEscape(text: string): string {
  const map: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };
  return text.replace(/["'&<>\t\n\r]/g, (c) => map[c] ?? c);
}

export function goLocalTimestamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const attrs = (pairs: Array<[string, string | number | undefined]>): string =>
  pairs.filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlEscape(typeof v === 'number' ? formatGoFloat(v) : (v ?? ''))}"`).join('');

export function junitXml(run: JunitRun): string {
  const i = (depth: number): string => `\n  ${'    '.repeat(depth)}`;
  const skipped = run.cases.filter((c) => c.status === 'skipped').length;
  const failures = run.cases.filter((c) => c.status === 'failed').length;
  const time = run.cases.reduce((t, c) => t + (c.status === 'skipped' ? 0 : c.seconds), 0);
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n  ';
  out += `<testsuites${attrs([['tests', run.cases.length], ['disabled', skipped], ['errors', 0], ['failures', failures], ['time', time]])}>`;
  out += `${i(1)}<testsuite${attrs([
    ['name', 'connectivity test'], ['id', 0], ['package', 'cilium'], ['tests', run.cases.length], ['errors', 0], ['failures', failures],
    ['skipped', skipped > 0 ? skipped : undefined], ['time', time], ['timestamp', run.timestamp],
  ])}>`;
  out += `${i(2)}<properties>${i(3)}<property${attrs([['name', 'Args'], ['value', run.args.join('|')]])}></property>${i(2)}</properties>`;
  for (const c of run.cases) {
    const head = `${i(2)}<testcase${attrs([['name', c.name], ['classname', 'connectivity test'], ['status', c.status], ['time', c.status === 'skipped' ? 0 : c.seconds]])}>`;
    if (c.status === 'passed') out += `${head}</testcase>`;
    else if (c.status === 'skipped') out += `${head}${i(3)}<skipped${attrs([['message', `${c.name} skipped`]])}></skipped>${i(2)}</testcase>`;
    else {
      const messages = c.failureMessages.map((m) => ` failureMessage="${xmlEscape(m)}"`).join('');
      out += `${head}${i(3)}<failure message="${xmlEscape(`${c.name} failed`)}"${messages} type="failure">${xmlEscape(c.failedActions.join('\n'))}</failure>${i(2)}</testcase>`;
    }
  }
  out += `${i(1)}</testsuite>${i(0)}</testsuites>`;
  return out;
}

/** What cilium-cli records when the run ends without a report (setup failure, cancellation). */
export function junitInfrastructureFailure(args: string[], timestamp: string, error: string): string {
  return junitXml({ args, timestamp, cases: [{ name: 'connectivity test setup', status: 'failed', seconds: 0, failedActions: [error], failureMessages: [] }] });
}
