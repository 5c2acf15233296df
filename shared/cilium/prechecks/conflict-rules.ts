import type { PrecheckResult } from '../../plan/index.js';
import { ChangeflowError } from '../../errors.js';
import { objectKey } from '../facts/cluster-facts.js';
import { changeObjects, type ChangeObject } from '../manifests/desired.js';
import { isInstallerManager } from '../ownership.js';
import { conflictingFields, isManagedByChangeflow, otherManagers, type FieldConflict } from '../plan/field-owners.js';
import { refOf, shortRef } from '../plan/kube-ops.js';
import { showValue } from '../plan/object-tree.js';
import { fail, list, objectsOfKind, pass, unknown, type Rule } from './rule-kit.js';

// Objects the plan changes must not be someone else's: a field another manager owns makes the
// apply fail with 409 (or, forced, starts a tug of war), and deleting an object changeflow did not
// create removes someone else's work. cilium-config is the deliberate exception: its installer
// (Helm) owns the keys and changeflow forces them.

function describe(c: FieldConflict): string {
  return `${c.manager} (${c.operation}) owns ${c.path} = ${showValue(c.current)}, the change wants ${showValue(c.desired)}`;
}

export const conflictRule: Rule = ({ spec, facts }) => {
  const version = facts?.ciliumVersion;
  const title = 'No other field manager owns what the change writes';
  if (!facts || !version) {
    return spec.changes.map((_, index) => unknown({ id: 'cluster.conflict.field-manager', title, change: index }, 'the current objects (no Cilium version or objects in the facts)'));
  }
  let items: ChangeObject[];
  try {
    items = changeObjects(spec, version, { ciliumNamespace: facts.ciliumNamespace });
  } catch (err) {
    if (err instanceof ChangeflowError) return [];
    throw err;
  }
  const out: PrecheckResult[] = [];
  for (const index of new Set(items.map((i) => i.change))) {
    const f = { id: 'cluster.conflict.field-manager', title, change: index };
    const problems: string[] = [];
    const notes: string[] = [];
    const notCollected: string[] = [];
    for (const item of items.filter((i) => i.change === index)) {
      const where = shortRef(refOf(item.object));
      const current = facts.objects[objectKey(item.object)];
      if (!current) {
        const known = item.object.kind === 'ConfigMap' ? facts.config !== undefined : objectsOfKind(facts, item.object.kind) !== undefined;
        if (!known) notCollected.push(where);
        else notes.push(item.state === 'absent' ? `${where} is already gone` : `${where} does not exist yet`);
        continue;
      }
      if (item.state === 'absent') {
        if (isManagedByChangeflow(current)) notes.push(`${where} was created by changeflow`);
        else problems.push(`${where} was not created by changeflow (owners: ${list(otherManagers(current)) }) — removing it would delete someone else's object`);
        continue;
      }
      const conflicts = conflictingFields(current, item.object);
      if (item.force) {
        const installer = conflicts.filter((c) => isInstallerManager(c.manager));
        const others = conflicts.filter((c) => !isInstallerManager(c.manager));
        if (installer.length > 0) notes.push(`${where}: ${list(installer.map((c) => `${c.manager} owns ${c.path}`))}; changeflow takes these keys with force on purpose`);
        problems.push(...others.map((c) => `${where}: ${describe(c)} and would revert the change`));
        continue;
      }
      if (!isManagedByChangeflow(current)) {
        problems.push(`${where} exists and was not created by changeflow (owners: ${list(otherManagers(current))})`);
      }
      problems.push(...conflicts.map((c) => `${where}: ${describe(c)}`));
      if (conflicts.length === 0 && isManagedByChangeflow(current)) notes.push(`${where} is changeflow's; no other manager owns the fields it sets`);
    }
    if (problems.length > 0) {
      out.push(fail(f, list(problems, 6), 'rename the change\'s object, or hand the object over (remove the other manager\'s fields, or label it app.kubernetes.io/managed-by=changeflow once nothing else manages it) and re-plan'));
    } else if (notCollected.length > 0) {
      out.push(unknown(f, `whether ${list(notCollected)} exist (their kinds were not listed)`));
    } else {
      out.push(pass(f, list(notes, 6)));
    }
  }
  return out;
};
