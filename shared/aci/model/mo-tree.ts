import { ChangeflowError } from '../../errors.js';
import type { MoJson } from '../../plan/index.js';
import { parseDn } from '../classes.js';
import { isWithin, parentDn } from '../dn.js';
import type { AciMo } from './aci-mo.js';

// Builds the nested REST body of one POST: every entry under `rootDn`, each hung below its parent,
// with ancestors the entries do not name filled in by their naming properties only (sending an
// existing object's naming properties changes nothing on the APIC).

interface Node {
  className: string;
  attrs: Record<string, string>;
  children: string[];
}

export class MoOutsideRoot extends ChangeflowError {
  override readonly name = 'MoOutsideRoot' as const;
}

export function moTree(rootDn: string, entries: ReadonlyArray<AciMo>): MoJson {
  const nodes = new Map<string, Node>();
  const ensure = (dn: string, mo?: AciMo): Node => {
    let node = nodes.get(dn);
    if (!node) {
      node = mo ? { className: mo.className, attrs: {}, children: [] } : namingOnly(dn);
      nodes.set(dn, node);
      if (dn !== rootDn) ensure(parentDn(dn)).children.push(dn);
    }
    if (mo) {
      node.className = mo.className;
      node.attrs = { ...node.attrs, ...mo.attrs };
    }
    return node;
  };
  for (const mo of entries) {
    if (!isWithin(mo.dn, rootDn)) throw new MoOutsideRoot(`expected ${mo.dn} to sit under ${rootDn}; send it in its own request`);
    ensure(mo.dn, mo);
  }
  ensure(rootDn);
  const render = (dn: string): MoJson => {
    const node = nodes.get(dn) as Node;
    const children = node.children.map(render);
    return { [node.className]: children.length > 0 ? { attributes: node.attrs, children } : { attributes: node.attrs } };
  };
  return render(rootDn);
}

function namingOnly(dn: string): Node {
  const last = parseDn(dn).at(-1);
  if (!last) throw new MoOutsideRoot(`expected a DN, found "${dn}"`);
  return { className: last.className, attrs: { ...last.namingAttrs }, children: [] };
}
