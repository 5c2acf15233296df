import { isWithin, parentDn } from '../../../shared/aci/dn.js';
import type { Mit, Mo } from './mit.js';

// One POST is one transaction: every change is staged here, checked against the staged view,
// and reaches the tree only on commit — an error anywhere leaves the tree untouched.

export interface TreeView {
  get(dn: string): Mo | undefined;
  byClass(className: string): Mo[];
  children(dn: string): Mo[];
}

export class Txn implements TreeView {
  private staged = new Map<string, Mo | null>();

  constructor(private readonly mit: Mit) {}

  get(dn: string): Mo | undefined {
    if (this.staged.has(dn)) return this.staged.get(dn) ?? undefined;
    if (this.deletedAncestor(dn)) return undefined;
    return this.mit.get(dn);
  }

  byClass(className: string): Mo[] {
    const out = new Map<string, Mo>();
    for (const mo of this.mit.byClass(className)) if (this.get(mo.dn)) out.set(mo.dn, this.get(mo.dn) as Mo);
    for (const [dn, mo] of this.staged) if (mo && mo.className === className) out.set(dn, mo);
    return [...out.values()].sort((a, b) => (a.dn < b.dn ? -1 : 1));
  }

  children(dn: string): Mo[] {
    const out = new Map<string, Mo>();
    for (const mo of this.mit.children(dn)) {
      const now = this.get(mo.dn);
      if (now) out.set(mo.dn, now);
    }
    for (const [childDn, mo] of this.staged) if (mo && parentDn(childDn) === dn) out.set(childDn, mo);
    return [...out.values()].sort((a, b) => (a.dn < b.dn ? -1 : 1));
  }

  put(mo: Mo): void {
    this.staged.delete(mo.dn);
    this.staged.set(mo.dn, mo);
  }

  remove(dn: string): void {
    for (const key of [...this.staged.keys()]) if (isWithin(key, dn)) this.staged.delete(key);
    this.staged.set(dn, null);
  }

  get isEmpty(): boolean {
    return this.staged.size === 0;
  }

  commit(): void {
    for (const [dn, mo] of this.staged) {
      if (mo) this.mit.put(mo);
      else this.mit.deleteSubtree(dn);
    }
    this.staged.clear();
  }

  private deletedAncestor(dn: string): boolean {
    for (const [key, mo] of this.staged) if (mo === null && isWithin(dn, key)) return true;
    return false;
  }
}
