import * as z from '../../zod.js';
import { attrOf, attrsOf, descendants, readXmlLeniently } from './lenient-xml.js';
import { splitAction, type ConnectivityReport, type FailedTest } from './connectivity-report.js';

// The --junit-file of `cilium connectivity test` (connectivity/check/junit.go): one testsuite
// "connectivity test", a testcase per test with status passed|failed|skipped, failure chardata
// listing the failed actions one per line, and possibly repeated failureMessage attributes. A
// setup failure is a single failed testcase named "connectivity test setup" (newer CLIs:
// "Infrastructure/Provisioning") whose chardata is the error.

export const JunitCase = z.object({
  name: z.string(),
  status: z.enum(['passed', 'failed', 'skipped']),
  time: z.optional(z.number()),
  failure: z.optional(z.object({ message: z.string(), actions: z.array(z.string()), messages: z.array(z.string()) })),
});
export type JunitCase = z.infer<typeof JunitCase>;

export const ConnectivityJunit = z.object({
  tests: z.int().check(z.nonnegative()),
  failures: z.int().check(z.nonnegative()),
  skipped: z.int().check(z.nonnegative()),
  cases: z.array(JunitCase),
  setupFailure: z.optional(z.string()),
  /** The file ended with elements still open. */
  truncated: z.boolean(),
});
export type ConnectivityJunit = z.infer<typeof ConnectivityJunit>;

export const setupCaseNames = ['connectivity test setup', 'Infrastructure/Provisioning'];

function int(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

export function parseConnectivityJunit(xml: string): ConnectivityJunit {
  const doc = readXmlLeniently(xml);
  const cases: JunitCase[] = descendants(doc.root, 'testcase').map((tc) => {
    const failureEl = tc.children.find((c) => c.name === 'failure' || c.name === 'error');
    const skippedEl = tc.children.find((c) => c.name === 'skipped');
    const declared = attrOf(tc, 'status');
    const status = failureEl || declared === 'failed' ? 'failed' : skippedEl || declared === 'skipped' ? 'skipped' : 'passed';
    const time = Number(attrOf(tc, 'time'));
    return {
      name: attrOf(tc, 'name') ?? '(unnamed)',
      status,
      ...(Number.isFinite(time) ? { time } : {}),
      ...(failureEl
        ? {
          failure: {
            message: attrOf(failureEl, 'message') ?? '',
            actions: failureEl.text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0),
            messages: attrsOf(failureEl, 'failureMessage'),
          },
        }
        : {}),
    };
  });
  const suites = descendants(doc.root, 'testsuites')[0];
  const suite = descendants(doc.root, 'testsuite')[0];
  const failed = cases.filter((c) => c.status === 'failed').length;
  const skipped = cases.filter((c) => c.status === 'skipped').length;
  const setup = cases.length === 1 && cases[0] && setupCaseNames.includes(cases[0].name) && cases[0].status === 'failed' ? cases[0] : undefined;
  return {
    tests: Math.max(cases.length, int(suites && attrOf(suites, 'tests')) ?? int(suite && attrOf(suite, 'tests')) ?? 0),
    failures: Math.max(failed, int(suites && attrOf(suites, 'failures')) ?? 0),
    // testsuites@disabled carries the skipped count; testsuite@skipped too (omitempty).
    skipped: Math.max(skipped, int(suites && attrOf(suites, 'disabled')) ?? int(suite && attrOf(suite, 'skipped')) ?? 0),
    cases,
    ...(setup ? { setupFailure: setup.failure?.actions.join('\n') || setup.failure?.message || 'setup failed' } : {}),
    truncated: doc.truncated,
  };
}

export function summariseConnectivityJunit(junit: ConnectivityJunit): ConnectivityReport {
  const failedTests: FailedTest[] = junit.setupFailure
    ? []
    : junit.cases.filter((c) => c.status === 'failed').map((c) => ({
      name: c.name,
      actions: (c.failure?.actions ?? []).map((a) => splitAction(a, false)),
      messages: c.failure?.messages ?? [],
      owners: [],
    }));
  const ran = junit.setupFailure ? 0 : junit.tests - junit.skipped;
  const failed = junit.setupFailure ? 0 : Math.max(junit.failures, failedTests.length);
  const base = { source: 'junit' as const, namespaces: [], tests: Math.max(ran, 0), failed, skipped: junit.skipped, failedTests };
  if (junit.setupFailure) return { ...base, verdict: 'fail', setupFailure: junit.setupFailure, reason: `setup failed before any test ran: ${junit.setupFailure}` };
  if (failed > 0) return { ...base, verdict: 'fail', reason: `${failed} of ${ran} tests failed` };
  if (junit.truncated) return { ...base, verdict: 'inconclusive', reason: 'the JUnit file is truncated (elements left open): the run did not finish writing it' };
  if (junit.cases.length === 0 || ran === 0) return { ...base, verdict: 'inconclusive', reason: 'the JUnit file lists no test that ran' };
  return { ...base, verdict: 'pass' };
}
