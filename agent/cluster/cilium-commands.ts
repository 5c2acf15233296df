import { readFile, rm } from 'node:fs/promises';
import { runCilium, type CiliumRun } from './cilium-runner.js';
import { connectivityProgressOf, type ConnectivityProgress } from '../../shared/cilium/parsers/connectivity-progress.js';

// The three cilium CLI calls the agent makes, with their flags spelled out (reference/cilium.md
// §3-4). Outputs stay raw: shared/cilium/ parses them.
export interface CiliumTarget {
  binaryPath: string;
  kubeconfigPath?: string;
  context?: string;
  /** Cilium's namespace (-n); kube-system by default. */
  namespace?: string;
  maxOutputBytes?: number;
}

// The process gets this much longer than the CLI's own limit, so the CLI can report its timeout.
const graceMs = 30_000;

function globalArgs(t: CiliumTarget): string[] {
  const args: string[] = [];
  if (t.context) args.push('--context', t.context);
  if (t.namespace) args.push('--namespace', t.namespace);
  return args;
}

function env(t: CiliumTarget): Record<string, string> {
  return t.kubeconfigPath ? { KUBECONFIG: t.kubeconfigPath } : {};
}

/** `cilium status -o json --wait --wait-duration Ns --interactive=false` */
export function ciliumStatusJson(t: CiliumTarget, opts: { waitSeconds: number; signal?: AbortSignal }): Promise<CiliumRun> {
  const args = ['status', '-o', 'json', '--interactive=false', '--wait', `--wait-duration=${opts.waitSeconds}s`, ...globalArgs(t)];
  return runCilium(t.binaryPath, args, { timeoutMs: opts.waitSeconds * 1000 + graceMs, maxOutputBytes: t.maxOutputBytes, env: env(t), signal: opts.signal });
}

/** `cilium bgp peers -o json --wait-duration Ns` */
export function ciliumBgpPeersJson(t: CiliumTarget, opts: { waitSeconds: number; signal?: AbortSignal }): Promise<CiliumRun> {
  const args = ['bgp', 'peers', '-o', 'json', `--wait-duration=${opts.waitSeconds}s`, ...globalArgs(t)];
  return runCilium(t.binaryPath, args, { timeoutMs: opts.waitSeconds * 1000 + graceMs, maxOutputBytes: t.maxOutputBytes, env: env(t), signal: opts.signal });
}

export interface ConnectivityTestRun extends CiliumRun {
  /** The JUnit file's text, or undefined when the CLI wrote none (0 tests ran, or it died early). */
  junit?: string;
}

/**
 * `cilium connectivity test --junit-file F --timeout Ns [--test T]…`. Always an explicit --timeout:
 * the CLI's default is no limit. A stale junit file is removed first so an old result is never read,
 * and the file is removed again once read.
 */
export async function ciliumConnectivityTest(
  t: CiliumTarget,
  opts: { junitFile: string; timeoutSeconds: number; tests?: string[]; testNamespace?: string; extraArgs?: string[]; signal?: AbortSignal; onProgress?: (p: ConnectivityProgress) => void },
): Promise<ConnectivityTestRun> {
  await rm(opts.junitFile, { force: true });
  const args = ['connectivity', 'test', '--junit-file', opts.junitFile, '--timeout', `${opts.timeoutSeconds}s`];
  for (const test of opts.tests ?? []) args.push('--test', test);
  if (opts.testNamespace) args.push('--test-namespace', opts.testNamespace);
  args.push(...(opts.extraArgs ?? []), ...globalArgs(t));
  const onProgress = opts.onProgress;
  const onStdoutLine = onProgress ? (line: string) => { const p = connectivityProgressOf(line); if (p) onProgress(p); } : undefined;
  const run = await runCilium(t.binaryPath, args, { timeoutMs: opts.timeoutSeconds * 1000 + graceMs, maxOutputBytes: t.maxOutputBytes, env: env(t), signal: opts.signal, onStdoutLine });
  const limit = t.maxOutputBytes ?? 4 * 1024 * 1024;
  const junit = await readFile(opts.junitFile, 'utf8').then(
    (text) => (text.length > limit ? text.slice(0, limit) : text),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    },
  );
  // The bastion's temp dir is not ours to fill: the result lives on in the returned text.
  await rm(opts.junitFile, { force: true });
  return { ...run, junit };
}
