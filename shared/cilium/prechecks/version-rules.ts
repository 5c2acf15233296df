import { changeKinds } from '../../kinds/registry.js';
import { isAtLeast } from '../version.js';
import { fail, pass, unknown, type Rule } from './rule-kit.js';

// The Cilium release each change's kind needs (its `cluster.minimum` in shared/kinds/).

export const featureVersionRule: Rule = ({ spec, facts }) =>
  spec.changes.map((change, index) => {
    const { minimum: min, versionCheckId } = changeKinds[change.type].cluster;
    const f = { id: versionCheckId, title: `Cilium is recent enough for ${change.type}`, change: index };
    const version = facts?.ciliumVersion;
    if (!version) return unknown(f, 'the Cilium version (the cilium DaemonSet image tag was not collected)');
    return isAtLeast(version, min.version)
      ? pass(f, `Cilium ${version} ≥ ${min.version}: ${min.why}`)
      : fail(f, `Cilium ${version} < ${min.version}: ${min.why}`, `upgrade Cilium to ${min.version} or later before applying this ${change.type} change`);
  });
