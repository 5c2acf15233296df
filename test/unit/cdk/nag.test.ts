import { Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { acknowledgeNagFindings } from '../../../cdk/nag-suppressions.js';
import { buildChangeflowStack, removeSynthOutputs } from './changeflow-template.js';

afterAll(removeSynthOutputs);

// cdk-nag 3 is a CDK policy-validation plugin: `validateScope` runs the AwsSolutions pack over
// the construct tree (honouring Validations.of(…).acknowledge), and registering it on the App
// makes synth itself fail on any finding, which is what `cdk synth` would do.

const findings = (scope: Parameters<AwsSolutionsChecks['validateScope']>[0]) =>
  new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope).violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity,
    at: v.violatingResources.map((r) => r.constructPath ?? '(no path)'),
  }));

/** Every acknowledgement recorded in the tree: rule id and reason, with where it was made. */
function acknowledgements(scope: Parameters<typeof acknowledgeNagFindings>[0]) {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason, at: c.node.path }))),
  );
}

describe('cdk-nag AwsSolutions on ChangeflowStack', () => {
  it('reports no error and no warning once the justified acknowledgements are applied', () => {
    const stack = buildChangeflowStack();
    acknowledgeNagFindings(stack);
    expect(findings(stack)).toEqual([]);
  });

  it('acknowledges exactly what the checks find: no finding left open, no acknowledgement without a finding', () => {
    const bare = buildChangeflowStack();
    const found = findings(bare);
    expect(found.length).toBeGreaterThan(0);
    const acknowledged = buildChangeflowStack();
    acknowledgeNagFindings(acknowledged);
    const acks = acknowledgements(acknowledged);
    expect([...new Set(acks.map((a) => a.id))].sort()).toEqual(found.map((f) => f.rule).sort());
    // Each found resource sits under a construct that acknowledges that rule.
    for (const f of found) {
      for (const at of f.at) expect(acks.some((a) => a.id === f.rule && at.startsWith(`${a.at}/`)), `${f.rule} at ${at}`).toBe(true);
    }
  });

  it('justifies every acknowledgement in one line, on a resource rather than the whole stack', () => {
    const stack = buildChangeflowStack();
    acknowledgeNagFindings(stack);
    const acks = acknowledgements(stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.reason.length, a.id).toBeGreaterThan(20);
      expect(a.reason, a.id).not.toMatch(/\n/);
      expect(a.at, a.id).not.toBe(stack.node.path);
    }
  });

  it('lets a full synth with the AwsSolutions plugin registered succeed, and fail without the acknowledgements', () => {
    const withPlugin = (acknowledge: boolean) =>
      buildChangeflowStack((app, stack) => {
        if (acknowledge) acknowledgeNagFindings(stack);
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
      });
    const clean = withPlugin(true);
    expect(() => Stage.of(clean)?.synth()).not.toThrow();
    const open = withPlugin(false);
    expect(() => Stage.of(open)?.synth()).toThrow(/AwsSolutions-SMG4/);
  });
});
