import { ChangeflowError } from '../../errors.js';
import { changeObjects } from '../manifests/desired.js';
import { fail, list, pass, unknown, type Rule } from './rule-kit.js';

// Every cilium.io kind the plan writes must be installed and serve the apiVersion changeflow picks
// for this Cilium release.

export const crdRule: Rule = ({ spec, facts }) => {
  const f = { id: 'cluster.crds.present', title: 'The Cilium CRDs the change writes are installed at the needed version' };
  const version = facts?.ciliumVersion;
  if (!version) return [unknown(f, 'the Cilium version, so not which apiVersions are needed')];
  let needed: Array<{ kind: string; apiVersion: string }>;
  try {
    needed = changeObjects(spec, version).map((o) => o.object).filter((o) => o.apiVersion.startsWith('cilium.io/'));
  } catch (err) {
    if (err instanceof ChangeflowError) return [unknown(f, `which apiVersions apply: ${err.message}`, 'see the cluster.version.* prechecks')];
    throw err;
  }
  const kinds = new Map(needed.map((o) => [o.kind, o.apiVersion.slice('cilium.io/'.length)]));
  if (kinds.size === 0) return [];
  const crds = facts?.crds;
  if (!crds) return [unknown(f, 'the installed CustomResourceDefinitions')];
  const ok: string[] = [];
  const problems: string[] = [];
  for (const [kind, wanted] of kinds) {
    const crd = crds.find((c) => c.kind === kind);
    if (!crd) problems.push(`${kind} is not installed`);
    else if (!crd.versions.some((v) => v.name === wanted && v.served)) {
      problems.push(`${crd.name} serves ${crd.versions.filter((v) => v.served).map((v) => v.name).join(', ') || 'nothing'}, not ${wanted}`);
    } else ok.push(`${crd.name} serves ${wanted}${crd.schemaVersion ? ` (schema ${crd.schemaVersion})` : ''}`);
  }
  if (problems.length === 0) return [pass(f, list(ok, 10))];
  return [fail(f, list(problems, 10), `install the CRDs of Cilium ${version} (the operator registers them when it starts; check its logs) or fix the Cilium version the facts report`)];
};
