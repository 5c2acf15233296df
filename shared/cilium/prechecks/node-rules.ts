import { ciliumReadiness } from '../facts/workload-readiness.js';
import { fail, list, pass, unknown, type Rule } from './rule-kit.js';

// A cluster that is already unhealthy is not changed: what the change did would be hidden. The
// agents' own report (`cilium status -o json`) decides when the facts carry it; a submitted
// change's facts carry the cilium DaemonSet and operator instead (workload-readiness.ts).

const unhealthyFix = 'fix the cluster first (cilium status --wait shows the details); changing a cluster that is already unhealthy hides what the change did';

export const statusRule: Rule = ({ spec, facts }) => {
  const f = { id: 'cluster.status.healthy', title: 'cilium status reports no errors' };
  if (spec.changes.length === 0) return [];
  const status = facts?.status;
  if (!status) {
    const readiness = facts ? ciliumReadiness(facts) : undefined;
    if (!readiness) return [unknown(f, 'cilium status -o json output, or the cilium DaemonSet')];
    const { agents, operator } = readiness;
    const counts = `${agents.ready}/${agents.desired} agents ready${operator ? `, operator ${operator.ready}/${operator.desired}` : ''}`;
    const source = `(ds/cilium${operator ? ' and deploy/cilium-operator' : ''} status)`;
    return [readiness.errors.length === 0
      ? pass(f, `${counts} ${source}`)
      : fail(f, `${list(readiness.errors, 5)} ${source}`, unhealthyFix)];
  }
  const counts = status.desired === undefined ? '' : ` (${status.ready}/${status.desired} agents ready${status.operator ? `, operator ${status.operator.ready}/${status.operator.desired}` : ''})`;
  return [status.healthy
    ? pass(f, `cilium status healthy${counts}${status.warnings.length > 0 ? `; warnings: ${list(status.warnings, 3)}` : ''}`)
    : fail(f, `cilium status reports: ${list(status.errors, 5)}${counts}`, unhealthyFix)];
};
