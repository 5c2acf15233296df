import * as z from '../../zod.js';

// One summary shape for `cilium connectivity test` results, whether read from the JUnit file or
// from the console log, so the verify step and `changeflow report` need not care which.

export const FailedAction = z.object({
  /** `test/scenario/action`, e.g. `client-ingress/client-to-client/ping-ipv4-0`. */
  name: z.string(),
  /** `src (ip) -> dst (addr:port)` when the action names its peers. */
  peers: z.optional(z.string()),
  /** The failure message (🟥 lines, cilium/cilium#39866); may span lines (JSON). */
  message: z.optional(z.string()),
});
export type FailedAction = z.infer<typeof FailedAction>;

export const FailedTest = z.object({
  name: z.string(),
  namespace: z.optional(z.string()),
  actions: z.array(FailedAction),
  /** JUnit failureMessage attributes, in file order. */
  messages: z.array(z.string()),
  /** Code owners printed with --log-code-owners. */
  owners: z.array(z.string()),
});
export type FailedTest = z.infer<typeof FailedTest>;

export const ConnectivityVerdict = z.enum(['pass', 'fail', 'inconclusive']);
export type ConnectivityVerdict = z.infer<typeof ConnectivityVerdict>;

export const ConnectivityReport = z.object({
  source: z.enum(['junit', 'console']),
  verdict: ConnectivityVerdict,
  /** Test namespaces (`cilium-test-1`, …); empty for CLIs that do not print them. */
  namespaces: z.array(z.string()),
  /** Tests that ran (skipped ones excluded). */
  tests: z.int().check(z.nonnegative()),
  failed: z.int().check(z.nonnegative()),
  skipped: z.int().check(z.nonnegative()),
  actions: z.optional(z.int().check(z.nonnegative())),
  failedActions: z.optional(z.int().check(z.nonnegative())),
  failedTests: z.array(FailedTest),
  /** Why the verdict is what it is, in a sentence, when it is not a plain pass. */
  reason: z.optional(z.string()),
  /** The setup error when no test could run (deployments never ready, …). */
  setupFailure: z.optional(z.string()),
  /** The suite was cancelled (--timeout reached or interrupted). */
  cancelled: z.optional(z.string()),
});
export type ConnectivityReport = z.infer<typeof ConnectivityReport>;

const peersPattern = /^(\S+ \([^)]*\) -> \S+ \([^)]*\))(?:: ([\s\S]*))?$/;

/**
 * Splits `name: src (ip) -> dst (addr:port)[: message]` or `name: message`. The name runs to the
 * first ": " (names contain ':' without a space, e.g. `…drops:kind-kind/kind-worker2`).
 */
export function splitAction(text: string, hasMessage: boolean): FailedAction {
  const m = /^(\S+?)(?:: ([\s\S]*))?$/.exec(text.trim());
  if (!m) return { name: text.trim() };
  const name = m[1] ?? text.trim();
  const rest = m[2];
  if (rest === undefined || rest === '') return { name };
  const peers = peersPattern.exec(rest);
  if (peers) return { name, peers: peers[1] ?? rest, ...(peers[2] ? { message: peers[2] } : {}) };
  return hasMessage ? { name, message: rest } : { name, peers: rest };
}
