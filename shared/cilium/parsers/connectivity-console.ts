import { stripVTControlCharacters } from 'node:util';
import { splitAction, type ConnectivityReport, type FailedAction, type FailedTest } from './connectivity-report.js';

// The console output of `cilium connectivity test` (stdout and stderr merged, as a CI log holds
// them). Formats handled (reference/cilium.md §3): with and without the `[<ns>]` tag, one report
// per namespace under --test-concurrency, `-t` timestamps and CI-runner timestamps, ANSI colours,
// 🟥 action lines whose message runs on over several lines (JSON), owners lines, the stderr
// verdicts `[ns] N tests failed` / `connectivity test failed: …`, setup failures and suite
// cancellation. A log without any verdict line is inconclusive, never a pass.

const ciliumTimestamp = /^\[\d{4}-\d{2}-\d{2}T[^\]\s]*\] /;
const runnerTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;

const running = /^🏃\s*(?:\[([^\]]+)\] )?Running (\d+) tests/;
const testStart = /^\[=\] (?:\[([^\]]+)\] )?Test \[([^\]]+)\](?: \[(\d+)\/(\d+)\])?/;
const success = /^✅ (?:\[([^\]]+)\] )?All (\d+) tests \((\d+) actions\) successful, (?:(\d+) warnings, )?(\d+) tests skipped, (\d+) scenarios skipped\.?\s*$/;
const reportHeader = /^📋 Test Report(?: \[([^\]]+)\])?\s*$/;
const failHeader = /^❌ (\d+)\/(\d+) tests failed \((\d+)\/(\d+) actions\), (?:(\d+) warnings, )?(\d+) tests skipped, (\d+) scenarios skipped:?\s*$/;
const testGroup = /^Test \[(.+)\]:\s*$/;
const actionLine = /^\s{1,4}(❌|🟥) (.*)$/;
const ownersIntro = /^\s*⛑️/;
const ownerLine = /^\s+- (@\S+)(?: \((.+)\))?\s*$/;
const nsVerdict = /^(?:Error: )?\[([^\]]+)\] (\d+) tests failed\s*$/;
const cliVerdict = /^(?:Error: )?[Cc]onnectivity test failed:\s*(.*)$/;
const cancellation = /Cancellation request \((.*)\) received, cancelling tests/;
const bareSetupError = /^(timeout reached waiting for .+)$/;

interface Namespace {
  running?: number;
  lastTest?: string;
  success?: { tests: number; actions: number; skipped: number };
  report?: { failed: number; ran: number; failedActions: number; actions: number; skipped: number };
  verdictFailed?: number;
}

export function cleanLine(raw: string): string {
  return stripVTControlCharacters(raw).replace(/\r$/, '').replace(runnerTimestamp, '').replace(ciliumTimestamp, '');
}

export function parseConnectivityConsole(text: string): ConnectivityReport {
  const spaces = new Map<string, Namespace>();
  const ns = (name: string | undefined) => {
    const key = name ?? '';
    let s = spaces.get(key);
    if (!s) spaces.set(key, (s = {}));
    return s;
  };
  const failedTests: FailedTest[] = [];
  let reportNs: string | undefined;
  let inReport = false;
  let test: FailedTest | undefined;
  let action: FailedAction | undefined;
  let collecting = false;
  let inOwners = false;
  let setupFailure: string | undefined;
  let cancelled: string | undefined;
  let cliFailed: number | undefined;

  for (const raw of text.split('\n')) {
    const line = cleanLine(raw);
    let m: RegExpExecArray | null;
    const endMessage = () => {
      collecting = false;
    };
    // Output after a report belongs to the next run (another namespace), not to the last failed test.
    const closeReport = () => {
      endMessage();
      inReport = false;
      test = undefined;
      action = undefined;
    };
    if ((m = running.exec(line))) {
      closeReport();
      ns(m[1]).running = Number(m[2]);
    } else if ((m = testStart.exec(line))) {
      closeReport();
      ns(m[1]).lastTest = `${m[2]}${m[3] ? ` (${m[3]}/${m[4]})` : ''}`;
    } else if ((m = success.exec(line))) {
      closeReport();
      ns(m[1]).success = { tests: Number(m[2]), actions: Number(m[3]), skipped: Number(m[5]) };
    } else if ((m = reportHeader.exec(line))) {
      endMessage();
      inReport = true;
      reportNs = m[1];
      test = undefined;
    } else if ((m = failHeader.exec(line))) {
      endMessage();
      inReport = true;
      ns(reportNs).report = { failed: Number(m[1]), ran: Number(m[2]), failedActions: Number(m[3]), actions: Number(m[4]), skipped: Number(m[6]) };
    } else if (inReport && (m = testGroup.exec(line))) {
      endMessage();
      inOwners = false;
      test = { name: m[1] ?? '', ...(reportNs ? { namespace: reportNs } : {}), actions: [], messages: [], owners: [] };
      failedTests.push(test);
    } else if (test && (m = actionLine.exec(line))) {
      endMessage();
      inOwners = false;
      action = splitAction(m[2] ?? '', m[1] === '🟥');
      test.actions.push(action);
      collecting = m[1] === '🟥';
    } else if (test && ownersIntro.test(line)) {
      endMessage();
      inOwners = true;
    } else if (test && inOwners && (m = ownerLine.exec(line))) {
      if (m[1] && !test.owners.includes(m[1])) test.owners.push(m[1]);
    } else if ((m = nsVerdict.exec(line))) {
      endMessage();
      ns(m[1]).verdictFailed = Number(m[2]);
    } else if ((m = cliVerdict.exec(line))) {
      endMessage();
      const rest = (m[1] ?? '').trim();
      const count = /^(?:\[([^\]]+)\] )?(\d+) tests failed$/.exec(rest);
      if (count?.[1]) ns(count[1]).verdictFailed = Number(count[2]);
      else if (count) cliFailed = Number(count[2]);
      else setupFailure = rest;
    } else if ((m = cancellation.exec(line))) {
      endMessage();
      cancelled = m[1];
    } else if (collecting && action) {
      if (line.trim() === '') endMessage();
      else action.message = action.message ? `${action.message}\n${line}` : line;
    } else if ((m = bareSetupError.exec(line)) && ![...spaces.values()].some((s) => s.running !== undefined)) {
      setupFailure = m[1];
    }
  }
  return verdictOf(spaces, failedTests, { setupFailure, cancelled, cliFailed });
}

function verdictOf(
  spaces: Map<string, Namespace>,
  failedTests: FailedTest[],
  extra: { setupFailure: string | undefined; cancelled: string | undefined; cliFailed: number | undefined },
): ConnectivityReport {
  const all = [...spaces.values()];
  const sum = (f: (s: Namespace) => number | undefined) => all.reduce((acc, s) => acc + (f(s) ?? 0), 0);
  const reported = sum((s) => s.report?.failed ?? s.verdictFailed);
  const failed = Math.max(reported, extra.cliFailed ?? 0, new Set(failedTests.map((t) => `${t.namespace ?? ''}/${t.name}`)).size);
  const base = {
    source: 'console' as const,
    namespaces: [...spaces.keys()].filter((k) => k !== '').sort(),
    tests: sum((s) => s.success?.tests ?? s.report?.ran),
    failed,
    skipped: sum((s) => s.success?.skipped ?? s.report?.skipped),
    actions: sum((s) => s.success?.actions ?? s.report?.actions),
    failedActions: sum((s) => s.report?.failedActions),
    failedTests,
    ...(extra.setupFailure ? { setupFailure: extra.setupFailure } : {}),
    ...(extra.cancelled ? { cancelled: extra.cancelled } : {}),
  };
  if (extra.cancelled) {
    return { ...base, verdict: 'fail', reason: `the suite was cancelled (${extra.cancelled})${failed > 0 ? ` after ${failed} test(s) failed` : ''}` };
  }
  if (extra.setupFailure && base.tests === 0) {
    return { ...base, verdict: 'fail', reason: `setup failed before any test ran: ${extra.setupFailure}` };
  }
  if (failed > 0 || extra.setupFailure) {
    return { ...base, verdict: 'fail', reason: extra.setupFailure ?? `${failed} of ${base.tests} tests failed` };
  }
  const started = (s: Namespace) => s.running !== undefined || s.lastTest !== undefined;
  const runs = all.filter(started).length;
  const passed = all.filter((s) => s.success).length;
  if (passed > 0 && passed >= runs) return { ...base, verdict: 'pass' };
  const unfinished = [...spaces.entries()].filter(([, s]) => started(s) && !s.success);
  const where = unfinished.map(([name, s]) => `${name ? `[${name}] ` : ''}${s.lastTest ? `during test [${s.lastTest}]` : 'before its first test'}`);
  return {
    ...base,
    verdict: 'inconclusive',
    reason: unfinished.length > 0 ? `no verdict line: the log ends ${where.join('; ')}` : 'no verdict line: the log never reached the test run (no ✅ or ❌ summary)',
  };
}
