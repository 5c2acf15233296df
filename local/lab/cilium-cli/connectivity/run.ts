import { rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ChangeflowError } from '../../../../shared/errors.js';
import { actionString, Suite, type TestVerdict } from '../../world/connectivity-suite.js';
import { formatGoDuration } from '../go-format.js';
import type { KubeApi } from '../kube-api.js';
import type { ClusterAccess } from '../kubeconfig.js';
import { goLocalTimestamp, junitInfrastructureFailure, junitXml, type JunitCase } from './junit.js';
import { Printer, type Sink } from './printer.js';
import { parseTestFilters, scenarioEnabled, testEnabled } from './select.js';
import { systemClock } from '../../../../shared/runtime/clock.js';

// `cilium connectivity test` over the lab: wait for the agents, ask the world for this run's
// verdicts, print them in cilium-cli's console grammar (reference/cilium.md §3), write the JUnit
// file, exit 0 or 1. --timeout cancels with the real cancellation line; so does Ctrl-C.

export interface ConnectivityOptions {
  tests: string[];
  /** Whole-suite limit in nanoseconds; 0 = none (cilium-cli's default). */
  timeoutNs: number;
  junitFile?: string;
  testNamespace: string;
  timestamps: boolean;
  verbose: boolean;
  exitZeroOnFailure: boolean;
  /** The arguments after `connectivity test`, for the JUnit Args property. */
  args: string[];
}

export interface Streams {
  out: Sink;
  err: Sink;
}

export class WorldUnreachable extends ChangeflowError {
  override readonly name = 'WorldUnreachable' as const;
}

class Cancelled extends Error {}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${Date.now()}-${process.pid}.junit.tmp`);
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, path);
}

async function fetchSuite(access: ClusterAccess, namespace: string): Promise<Suite> {
  if (!access.worldUrl) {
    throw new WorldUnreachable(`the kubeconfig context ${access.context} has no changeflow.io/lab-world extension: this lab cilium only runs against a changeflow lab (start one with \`changeflow lab\`)`);
  }
  let res: Response;
  try {
    res = await fetch(`${access.worldUrl}/world/connectivity`, { method: 'POST', body: JSON.stringify({ namespace }) });
  } catch (err) {
    throw new WorldUnreachable(`cannot reach the lab world at ${access.worldUrl}: ${(err as Error).message}; is the lab still running?`);
  }
  const body = (await res.json()) as unknown;
  const parsed = Suite.safeParse(body);
  if (res.status !== 200 || !parsed.success) throw new WorldUnreachable(`the lab world answered ${res.status} with no suite: ${JSON.stringify(body).slice(0, 300)}`);
  return parsed.data;
}

/** The kit's sleep, failing as cilium-cli does (context canceled) when the run is signalled. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await systemClock.sleep(ms, signal);
  } catch (err) {
    if (signal.aborted) throw new Cancelled();
    throw err;
  }
}

async function waitForAgents(api: KubeApi, printer: Printer, cluster: string, signal: AbortSignal): Promise<void> {
  let announced = false;
  for (;;) {
    const ds = (await api.find('/apis/apps/v1/namespaces/kube-system/daemonsets/cilium')) as { metadata?: { generation?: number }; status?: Record<string, number> } | undefined;
    const s = ds?.status ?? {};
    const desired = s['desiredNumberScheduled'] ?? 0;
    const done = ds !== undefined && (s['observedGeneration'] ?? 0) >= (ds.metadata?.generation ?? 1) && (s['updatedNumberScheduled'] ?? 0) >= desired && (s['numberReady'] ?? 0) >= desired;
    if (done) return;
    if (!announced) printer.line(`⌛ [${cluster}] Waiting for DaemonSet kube-system/cilium to become ready...`);
    announced = true;
    await sleep(100, signal);
  }
}

function preamble(printer: Printer, cluster: string, ns: string): void {
  printer.line('ℹ️  Monitor aggregation detected, will skip some flow validation steps');
  for (const d of ['client', 'client2', 'echo-same-node', 'echo-other-node']) printer.line(`⌛ [${cluster}] Waiting for deployment ${ns}/${d} to become ready...`);
  printer.line('ℹ️  Skipping tests that require a node Without Cilium');
  printer.line('🔭 Enabling Hubble telescope...');
  printer.line('⚠️  Unable to contact Hubble Relay, disabling Hubble telescope and flow validation: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:4245: connect: connection refused"');
  printer.line('ℹ️  Expose Relay locally with:');
  printer.line('   cilium hubble enable');
  printer.line('   cilium hubble port-forward&');
}

interface Outcome {
  test: TestVerdict;
  skip?: string;
  skippedScenarios: number;
  actions: number;
  failed: string[];
  messages: string[];
  seconds: number;
}

function runTest(test: TestVerdict, index: number, total: number, ns: string, printer: Printer, opts: ConnectivityOptions): Outcome {
  const filter = parseTestFilters(opts.tests);
  const scenarioNames = test.scenarios.map((s) => s.name);
  const skip = test.skip ?? (testEnabled(filter, test.name, scenarioNames) ? undefined : 'skipped by user');
  const outcome: Outcome = { test, skip, skippedScenarios: 0, actions: 0, failed: [], messages: [], seconds: 0 };
  if (skip) {
    printer.line(`[=] [${ns}] Skipping test [${test.name}] [${index}/${total}] (${skip})`);
    return outcome;
  }
  const started = process.hrtime.bigint();
  printer.line(`[=] [${ns}] Test [${test.name}] [${index}/${total}]`);
  const log: string[] = [];
  for (const scenario of test.scenarios) {
    if (!scenarioEnabled(filter, test.name, scenario.name)) {
      outcome.skippedScenarios++;
      log.push(`  [-] Skipping Scenario [${test.name}/${scenario.name}] (skipped by user)`);
      continue;
    }
    log.push(`  [-] Scenario [${test.name}/${scenario.name}]`);
    for (const action of scenario.actions) {
      outcome.actions++;
      const text = actionString(test.name, scenario.name, action);
      log.push(`  [.] Action [${text}]`);
      printer.dot();
      if (action.failure !== undefined) {
        log.push(`  ❌ ${action.failure}`);
        outcome.failed.push(text);
        outcome.messages.push(action.failure);
      }
    }
  }
  // cilium-cli prints a test's log when it fails (always with -v).
  if (opts.verbose || outcome.failed.length > 0) for (const l of log) printer.line(l);
  // Go: completionTime.Sub(startTime).Seconds(), whole nanoseconds over 1e9.
  outcome.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return outcome;
}

function report(outcomes: Outcome[], ns: string, printer: Printer, streams: Streams): boolean {
  const nt = outcomes.length;
  const nst = outcomes.filter((o) => o.skip).length;
  const nss = outcomes.reduce((n, o) => n + o.skippedScenarios, 0);
  const na = outcomes.reduce((n, o) => n + o.actions, 0);
  const failed = outcomes.filter((o) => !o.skip && o.failed.length > 0);
  printer.line();
  if (failed.length === 0) {
    printer.line(`✅ [${ns}] All ${nt - nst} tests (${na} actions) successful, ${nst} tests skipped, ${nss} scenarios skipped.`);
    return true;
  }
  const fa = failed.reduce((n, o) => n + o.failed.length, 0);
  printer.line(`📋 Test Report [${ns}]`);
  printer.line(`❌ ${failed.length}/${nt - nst} tests failed (${fa}/${na} actions), ${nst} tests skipped, ${nss} scenarios skipped:`);
  for (const o of failed) {
    printer.line(`Test [${o.test.name}]:`);
    o.failed.forEach((action, i) => printer.line(`  🟥 ${action}: ${o.messages[i] ?? ''}`));
  }
  streams.err.write(`[${ns}] ${failed.length} tests failed\n`);
  return false;
}

export async function runConnectivityTest(access: ClusterAccess, api: KubeApi, opts: ConnectivityOptions, streams: Streams): Promise<number> {
  const printer = new Printer(streams.out, opts.timestamps);
  const ns = `${opts.testNamespace}-1`;
  parseTestFilters(opts.tests);
  const controller = new AbortController();
  let cause = '';
  const cancel = (why: string, error: string): void => {
    if (controller.signal.aborted) return;
    cause = error;
    printer.line(`Cancellation request (${why}) received, cancelling tests...`);
    controller.abort();
  };
  const timer = opts.timeoutNs > 0 ? setTimeout(() => cancel(`connectivity test suite timeout (${formatGoDuration(opts.timeoutNs)}) reached`, 'context deadline exceeded'), opts.timeoutNs / 1e6) : undefined;
  const onSignal = (): void => cancel('context canceled', 'context canceled');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = new Date();
  try {
    await waitForAgents(api, printer, access.cluster, controller.signal);
    preamble(printer, access.cluster, ns);
    const suite = await fetchSuite(access, ns);
    printer.line(`ℹ️  Cilium version: ${suite.ciliumVersion}`);
    printer.line(`🏃[${ns}] Running ${suite.tests.length} tests ...`);
    const outcomes: Outcome[] = [];
    for (const [i, test] of suite.tests.entries()) {
      if (controller.signal.aborted) throw new Cancelled();
      if (suite.hang && !test.skip) {
        // Fault cilium.connectivity=hang: the first test never finishes, like a deployment that never schedules.
        printer.line(`[=] [${ns}] Test [${test.name}] [${i + 1}/${suite.tests.length}]`);
        printer.dot();
        // Signal listeners do not keep Node alive; a real hang does, until --timeout or a signal.
        const alive = setInterval(() => undefined, 60_000);
        await new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => (clearInterval(alive), reject(new Cancelled())), { once: true }));
      }
      if (suite.paceMs > 0 && !test.skip) await sleep(suite.paceMs, controller.signal);
      outcomes.push(runTest(test, i + 1, suite.tests.length, ns, printer, opts));
    }
    const passed = report(outcomes, ns, printer, streams);
    if (opts.junitFile) {
      const cases: JunitCase[] = outcomes.map((o) => ({
        name: o.test.name, status: o.skip ? 'skipped' : o.failed.length > 0 ? 'failed' : 'passed', seconds: o.seconds, failedActions: o.failed, failureMessages: o.messages,
      }));
      await writeAtomically(opts.junitFile, junitXml({ args: opts.args, timestamp: goLocalTimestamp(started), cases }));
    }
    return passed || opts.exitZeroOnFailure ? 0 : 1;
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
    printer.flush();
    if (opts.junitFile) await writeAtomically(opts.junitFile, junitInfrastructureFailure(opts.args, goLocalTimestamp(started), cause));
    streams.err.write(`${cause}\n`);
    return 1;
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
