import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseAciFacts } from '../../shared/aci/facts/parse-facts.js';
import type { CheckOutcome, CommandResult } from '../../shared/agent-protocol/index.js';
import { parseClusterFacts } from '../../shared/cilium/facts/cluster-facts.js';
import { selectorMatches } from '../../shared/cilium/label-selector.js';
import { parseConnectivityConsole } from '../../shared/cilium/parsers/connectivity-console.js';
import { parseConnectivityJunit, summariseConnectivityJunit } from '../../shared/cilium/parsers/connectivity-junit.js';
import { evaluateBgpPeersRows, evaluateClusterBgp } from '../../shared/kinds/bgp-peering/verify-cluster.js';
import { clusterSessionSource } from '../../shared/kinds/bgp-peering/verify.js';
import { parseBgpPeersJson } from '../../shared/cilium/parsers/bgp-peers-json.js';
import { evaluateAciBgp } from '../../shared/kinds/bgp-peering/verify-fabric.js';
import type { CheckVerdict, KubeList, VerifyCheck } from '../../shared/kinds/kind.js';
import { kindList } from '../../shared/kinds/registry.js';
import { verifyPartOf } from '../../shared/kinds/verify-registry.js';
import type { ChangeSpec } from '../../shared/spec/index.js';
import { InvalidInput } from '../../shared/errors.js';
import type { ApicClient } from '../apic/client.js';
import { ciliumBgpPeersJson, ciliumConnectivityTest, ciliumStatusJson, NotFound, type CiliumTarget, type ClusterClient, type KubeObject } from '../cluster/index.js';
import type { CommandContext } from '../command-context.js';
import { systemClock } from '../../shared/runtime/clock.js';
import { backoffDelay, type Backoff } from '../../shared/runtime/retry.js';

// Verification after apply (docs/architecture.md §2 step 9): each kind's checks (its `verify` part in
// shared/kinds/, as data) — BGP sessions established on both sides, LB pools without conflict,
// egress policies programmed — then `cilium connectivity test` with an explicit timeout.
// Inconclusive is failure. Every check says what it saw.

// Polls start short and stretch (100 ms, 150 ms, … up to 1 s): a session that comes up a moment
// after apply is seen a moment later, one that takes minutes costs one look a second.
const pollInterval: Backoff = { maxAttempts: 1, baseDelayMs: 100, factor: 1.5, maxDelayMs: 1000, jitter: 0 };

/** Objects of a cilium.io kind at the newest version the cluster serves ([] when it serves none). */
export async function listCilium(cluster: ClusterClient, kind: string): Promise<KubeObject[]> {
  for (const apiVersion of ['cilium.io/v2', 'cilium.io/v2alpha1']) {
    try {
      return await cluster.list(apiVersion, kind);
    } catch (err) {
      if (!(err instanceof NotFound)) throw err;
    }
  }
  return [];
}

async function check(id: string, run: () => Promise<{ verdict: CheckOutcome['verdict']; evidence: string }>): Promise<CheckOutcome> {
  const started = Date.now();
  const { verdict, evidence } = await run();
  return { id, verdict, evidence, durationMs: Date.now() - started };
}

/** The cluster's Cilium version from the cilium DaemonSet image, or undefined when it cannot be read. */
async function ciliumVersionOf(cluster: ClusterClient): Promise<string | undefined> {
  try {
    return parseClusterFacts(await cluster.list('apps/v1', 'DaemonSet')).ciliumVersion;
  } catch (err) {
    // Not knowing the version only means the default source (CiliumBGPNodeConfig status) is used.
    if (err instanceof NotFound) return undefined;
    throw err;
  }
}

/** The cluster side from `cilium bgp peers -o json`; a failed or unreadable run counts as "not yet". */
async function peersFromCli(cilium: CiliumTarget, spec: ChangeSpec, nodes: KubeObject[], ctx: CommandContext): Promise<ReturnType<typeof evaluateBgpPeersRows>> {
  const run = await ciliumBgpPeersJson(cilium, { waitSeconds: 10, signal: ctx.signal });
  try {
    if (run.exitCode !== 0) throw new InvalidInput(`cilium bgp peers exited ${run.exitCode}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    return evaluateBgpPeersRows(spec, parseBgpPeersJson(run.stdout), nodes);
  } catch (err) {
    if (!(err instanceof InvalidInput)) throw err;
    return { established: false, sessions: [], notEstablished: [], missing: [err.message], reconcileErrors: [] };
  }
}

async function bgpChecks(apic: ApicClient, cluster: ClusterClient, cilium: CiliumTarget, spec: ChangeSpec, ctx: CommandContext, oneLook: boolean): Promise<CheckOutcome[]> {
  const peering = spec.changes.find((c) => c.type === 'bgpPeering' && c.state === 'present');
  if (peering?.type !== 'bgpPeering') return [];
  const started = Date.now();
  // While observing, sessions that were established must still be: one look, no waiting.
  const deadline = oneLook ? started : Math.min(started + spec.verify.bgpEstablishedTimeoutSeconds * 1000, ctx.deadline.getTime() - 5_000);
  // 1.16.0/1.16.1 write no CiliumBGPNodeConfig status: ask the agents (shared/kinds/bgp-peering/verify.ts).
  const source = clusterSessionSource(await ciliumVersionOf(cluster));
  for (let look = 1; ; look += 1) {
    ctx.checkpoint('bgp');
    const entries = parseAciFacts(await apic.cls('bgpPeerEntry'), { tenant: spec.aci.tenant }).bgpPeerEntries ?? [];
    const nodes = await cluster.list('v1', 'Node');
    const facts = parseClusterFacts(nodes);
    const nodeAddresses = (facts.nodes ?? [])
      .filter((n) => n.internalIP && selectorMatches({ matchLabels: peering.nodeSelector }, n.labels))
      .map((n) => ({ name: n.name, ip: n.internalIP ?? '' }));
    const fabric = evaluateAciBgp(spec, entries, nodeAddresses);
    const clusterSide = source.source === 'cilium-bgp-peers'
      ? await peersFromCli(cilium, spec, nodes, ctx)
      : evaluateClusterBgp(spec, await listCilium(cluster, 'CiliumBGPNodeConfig'), nodes);
    const fabricOk = nodeAddresses.length > 0 && fabric.missing.length === 0 && fabric.notEstablished.length === 0;
    const clusterOk = clusterSide.established && clusterSide.missing.length === 0;
    if ((fabricOk && clusterOk) || Date.now() > deadline) {
      const waited = `${Math.round((Date.now() - started) / 1000)} s`;
      return [
        {
          id: 'bgp-fabric',
          verdict: fabricOk ? 'pass' : 'fail',
          evidence: fabricOk
            ? `${fabric.established.length} sessions established on the anchors (${fabric.established.join(', ')})`
            : `after ${waited}: not established ${fabric.notEstablished.map((s) => `${s.node}@${s.anchor}=${s.operSt}`).join(', ') || 'none'}; missing ${fabric.missing.join(', ') || 'none'}${nodeAddresses.length === 0 ? '; no node matches the nodeSelector' : ''}`,
          durationMs: Date.now() - started,
        },
        {
          id: 'bgp-cluster',
          verdict: clusterOk ? 'pass' : 'fail',
          evidence: clusterOk
            ? `${clusterSide.sessions.length} ${source.source === 'cilium-bgp-peers' ? 'peers established (' + source.why + ')' : 'CiliumBGPNodeConfig peers established'}`
            : `after ${waited}: ${[...clusterSide.notEstablished.map((s) => `${s.node}→${s.peer}=${s.state}`), ...clusterSide.missing, ...clusterSide.reconcileErrors.map((e) => `${e.node}: ${e.message}`)].join('; ')}${source.source === 'cilium-bgp-peers' ? ` (${source.why})` : ''}`,
          durationMs: Date.now() - started,
        },
      ];
    }
    await (ctx.clock ?? systemClock).sleep(backoffDelay(pollInterval, look), ctx.signal);
  }
}

async function runCheck(wanted: VerifyCheck, apic: ApicClient, cluster: ClusterClient, cilium: CiliumTarget, spec: ChangeSpec, ctx: CommandContext, oneLook: boolean): Promise<CheckOutcome[]> {
  const ns = cilium.namespace ?? 'kube-system';
  switch (wanted.type) {
    case 'bgp-sessions':
      return bgpChecks(apic, cluster, cilium, spec, ctx, oneLook);
    case 'objects':
      return [await check(wanted.id, () => settled(wanted.id, wanted.settleSeconds, ctx, async () => wanted.evaluate(spec, await listAll(cluster, wanted.lists, ns))))];
    case 'fabric':
      return [await check(wanted.id, () => settled(wanted.id, wanted.settleSeconds, ctx, async () => {
        const listed = await listAll(cluster, wanted.lists, ns);
        const fabric: unknown[][] = [];
        for (const cls of wanted.classes) fabric.push(await apic.cls(cls));
        return wanted.evaluate(spec, listed, fabric);
      }))];
    case 'cilium-status':
      return [await check(wanted.id, async () => {
        ctx.checkpoint(wanted.id);
        const run = await ciliumStatusJson(cilium, { waitSeconds: 30, signal: ctx.signal });
        const status = parseStatusJson(run.stdout);
        if (status === undefined) return { verdict: 'inconclusive', evidence: `cilium status -o json gave no JSON (exit ${run.exitCode ?? run.signal}): ${run.stderr.trim().slice(0, 300)}` };
        const v = wanted.evaluate(spec, status, await listAll(cluster, wanted.lists, ns));
        return { verdict: v.ok ? 'pass' : 'fail', evidence: v.evidence };
      })];
  }
}

function withoutSettling(check: VerifyCheck): VerifyCheck {
  return check.type === 'objects' || check.type === 'fabric' ? { ...check, settleSeconds: 0 } : check;
}

/** `cilium status -o json` prints the document even when it exits 1 (errors inside). */
function parseStatusJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

/** Evaluates until ok or `settleSeconds` (bounded by the command's deadline) have passed. */
async function settled(id: string, settleSeconds: number | undefined, ctx: CommandContext, look: () => Promise<CheckVerdict>): Promise<{ verdict: CheckOutcome['verdict']; evidence: string }> {
  const started = Date.now();
  const deadline = Math.min(started + (settleSeconds ?? 0) * 1000, ctx.deadline.getTime() - 5_000);
  for (let looks = 1; ; looks += 1) {
    ctx.checkpoint(id);
    const v = await look();
    if (v.ok) return { verdict: 'pass', evidence: v.evidence };
    if (Date.now() >= deadline) return { verdict: 'fail', evidence: settleSeconds ? `after ${Math.round((Date.now() - started) / 1000)} s: ${v.evidence}` : v.evidence };
    await (ctx.clock ?? systemClock).sleep(backoffDelay(pollInterval, looks), ctx.signal);
  }
}

const apiVersionOf: Record<Exclude<KubeList['group'], 'cilium.io'>, string> = { core: 'v1', apps: 'apps/v1', 'coordination.k8s.io': 'coordination.k8s.io/v1' };

async function listAll(cluster: ClusterClient, lists: ReadonlyArray<KubeList>, ciliumNamespace: string): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const l of lists) {
    const opts = { ...(l.namespace === 'cilium' ? { namespace: ciliumNamespace } : {}), ...(l.labelSelector ? { labelSelector: l.labelSelector } : {}) };
    out.push(l.group === 'cilium.io' ? await listCilium(cluster, l.kind) : await cluster.list(apiVersionOf[l.group], l.kind, opts));
  }
  return out;
}

export async function verify(
  apic: ApicClient,
  cluster: ClusterClient,
  cilium: CiliumTarget,
  command: { spec: ChangeSpec; observe?: true },
  ctx: CommandContext,
): Promise<Extract<CommandResult, { type: 'verify' }>> {
  const { spec } = command;
  // An observation check (verify.observeSeconds) re-runs the cheap checks, one look each.
  const observing = command.observe === true;
  // The kinds' checks are independent reads of the fabric and the cluster: they run (and settle)
  // side by side, so verification lasts as long as the slowest, not the sum. Results keep the
  // kinds' order.
  const wantedChecks = kindList.flatMap((kind) => {
    const verify = verifyPartOf(kind.type);
    return 'checks' in verify ? verify.checks.filter((wanted) => spec.changes.some((c) => c.type === kind.type && (wanted.when === 'any' || c.state === 'present'))) : [];
  });
  const checks: CheckOutcome[] = (
    await Promise.all(wantedChecks.map((wanted) => runCheck(observing ? withoutSettling(wanted) : wanted, apic, cluster, cilium, spec, ctx, observing)))
  ).flat();
  const test = spec.verify.connectivityTest;
  if (!observing && test.enabled && checks.every((c) => c.verdict === 'pass')) {
    checks.push(
      await check('connectivity-test', async () => {
        ctx.checkpoint('connectivity');
        const timeout = Math.max(10, Math.min(test.timeoutSeconds, Math.floor((ctx.deadline.getTime() - Date.now()) / 1000) - 10));
        const run = await ciliumConnectivityTest(cilium, {
          junitFile: join(tmpdir(), `changeflow-${ctx.task.changeId}-${process.pid}.xml`),
          timeoutSeconds: timeout,
          tests: test.tests,
          signal: ctx.signal,
          // Tests done of the total as the CLI announces each one: `submit --wait` and `watch` show it.
          onProgress: (p) => ctx.progress?.({ what: 'connectivity test', ...p }),
        });
        // Prefer the JUnit file; fall back to the console; no verdict at all is inconclusive.
        const report = run.junit ? summariseConnectivityJunit(parseConnectivityJunit(run.junit)) : parseConnectivityConsole(`${run.stdout}\n${run.stderr}`);
        const verdict = run.timedOut ? 'inconclusive' : report.verdict;
        const failed = report.failedTests.map((t) => t.name).join(', ');
        return {
          verdict,
          evidence: `${report.tests} tests, ${report.failed} failed${failed ? ` (${failed})` : ''}, ${report.skipped} skipped; exit ${run.exitCode ?? run.signal}${report.reason ? `; ${report.reason}` : ''}${run.timedOut ? '; killed at the timeout' : ''}`,
        };
      }),
    );
  }
  return { type: 'verify', ok: checks.every((c) => c.verdict === 'pass'), checks };
}
