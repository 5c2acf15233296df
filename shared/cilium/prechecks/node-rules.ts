import { fail, list, pass, unknown, type Rule } from './rule-kit.js';

// A cluster that is already unhealthy is not changed: what the change did would be hidden.

export const statusRule: Rule = ({ spec, facts }) => {
  const f = { id: 'cluster.status.healthy', title: 'cilium status reports no errors' };
  if (spec.changes.length === 0) return [];
  const status = facts?.status;
  if (!status) return [unknown(f, 'cilium status -o json output')];
  const counts = status.desired === undefined ? '' : ` (${status.ready}/${status.desired} agents ready${status.operator ? `, operator ${status.operator.ready}/${status.operator.desired}` : ''})`;
  return [status.healthy
    ? pass(f, `cilium status healthy${counts}${status.warnings.length > 0 ? `; warnings: ${list(status.warnings, 3)}` : ''}`)
    : fail(f, `cilium status reports: ${list(status.errors, 5)}${counts}`, 'fix the cluster first (cilium status --wait shows the details); changing a cluster that is already unhealthy hides what the change did')];
};
