import * as z from '../../../shared/zod.js';

// The verdicts of one `cilium connectivity test` run as the world decides them: tests in suite
// order, each with scenarios and actions (cilium-cli's own structure), an action failing with the
// message the real CLI would print. The lab `cilium` executable renders this; it is also the body
// of POST /world/connectivity.

export const TestPeer = z.object({
  name: z.string(),
  /** IP or host name. */
  address: z.string(),
  port: z.optional(z.int()),
});
export type TestPeer = z.infer<typeof TestPeer>;

export const ActionVerdict = z.object({
  name: z.string(),
  src: z.optional(TestPeer),
  dst: z.optional(TestPeer),
  /** Set when the action fails: the failure message after the action string. */
  failure: z.optional(z.string()),
});
export type ActionVerdict = z.infer<typeof ActionVerdict>;

export const ScenarioVerdict = z.object({
  name: z.string(),
  actions: z.array(ActionVerdict),
});
export type ScenarioVerdict = z.infer<typeof ScenarioVerdict>;

export const TestVerdict = z.object({
  name: z.string(),
  /** Why the test is skipped ("skipped by condition", "Feature X is disabled"); absent when it runs. */
  skip: z.optional(z.string()),
  scenarios: z.array(ScenarioVerdict),
});
export type TestVerdict = z.infer<typeof TestVerdict>;

export const Suite = z.object({
  clusterName: z.string(),
  ciliumVersion: z.string(),
  namespace: z.string(),
  tests: z.array(TestVerdict),
  /** Fault cilium.connectivity=hang: the run never reaches a verdict. */
  hang: z.boolean(),
  /** Fault cilium.connectivity=slow: each test takes this long, as the real suite's take seconds (its progress can be watched). */
  paceMs: z._default(z.int().check(z.gte(0)), 0),
});
export type Suite = z.infer<typeof Suite>;

export const ConnectivityRequest = z.object({
  namespace: z._default(z.string().check(z.minLength(1)), 'cilium-test-1'),
});
export type ConnectivityRequest = z.infer<typeof ConnectivityRequest>;

/** `<test>/<scenario>:<action>[: src (ip) -> dst (addr:port)]`, cilium-cli's Action.String(). */
export function actionString(test: string, scenario: string, action: ActionVerdict): string {
  const head = `${test}/${scenario}:${action.name}`;
  if (!action.src || !action.dst) return head;
  return `${head}: ${action.src.name} (${action.src.address}) -> ${action.dst.name} (${action.dst.address}:${action.dst.port ?? 0})`;
}

export function testFailed(test: TestVerdict): boolean {
  return test.skip === undefined && test.scenarios.some((s) => s.actions.some((a) => a.failure !== undefined));
}
