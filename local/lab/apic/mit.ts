import { parentDn } from '../../../shared/aci/dn.js';

// The management information tree: MOs by DN with a children index and a class index, so
// DN lookups, subtree walks and class queries stay cheap on a fabric with thousands of MOs.

export interface Mo {
  className: string;
  dn: string;
  /** Every stored property except `dn` and the volatile ones the router adds on the way out. */
  attrs: Record<string, string>;
  modTs: string;
}

/** The in-process read API tests and the lab world use. */
export interface MitReader {
  get(dn: string): Mo | undefined;
  byClass(className: string): Mo[];
  children(dn: string): Mo[];
}

export class Mit implements MitReader {
  private mos = new Map<string, Mo>();
  private kids = new Map<string, Set<string>>();
  private classes = new Map<string, Set<string>>();

  get size(): number {
    return this.mos.size;
  }

  get(dn: string): Mo | undefined {
    return this.mos.get(dn);
  }

  has(dn: string): boolean {
    return this.mos.has(dn);
  }

  /** MOs of a class, sorted by DN so that every answer is deterministic. */
  byClass(className: string): Mo[] {
    return this.sorted(this.classes.get(className));
  }

  children(dn: string): Mo[] {
    return this.sorted(this.kids.get(dn));
  }

  /** The MO and all its descendants, parents before children. */
  subtree(dn: string): Mo[] {
    const root = this.mos.get(dn);
    if (!root) return [];
    const out: Mo[] = [root];
    for (let i = 0; i < out.length; i++) {
      const mo = out[i];
      if (mo) out.push(...this.children(mo.dn));
    }
    return out;
  }

  /** Descendant DNs under `dn` whether or not `dn` itself exists (seeded trees may lack parents). */
  descendants(dn: string): Mo[] {
    const out: Mo[] = [];
    const stack = [...this.children(dn)];
    while (stack.length) {
      const mo = stack.shift();
      if (!mo) continue;
      out.push(mo);
      stack.unshift(...this.children(mo.dn));
    }
    return out;
  }

  put(mo: Mo): void {
    const old = this.mos.get(mo.dn);
    if (old && old.className !== mo.className) this.unindexClass(old);
    this.mos.set(mo.dn, mo);
    this.index(this.kids, parentDn(mo.dn), mo.dn);
    this.index(this.classes, mo.className, mo.dn);
  }

  /** Removes an MO and everything below it; returns what was removed, parents first. */
  deleteSubtree(dn: string): Mo[] {
    const removed = this.mos.has(dn) ? this.subtree(dn) : this.descendants(dn);
    for (const mo of removed) {
      this.mos.delete(mo.dn);
      this.kids.delete(mo.dn);
      this.kids.get(parentDn(mo.dn))?.delete(mo.dn);
      this.unindexClass(mo);
    }
    return removed;
  }

  private sorted(dns: Set<string> | undefined): Mo[] {
    if (!dns) return [];
    const out: Mo[] = [];
    for (const dn of [...dns].sort()) {
      const mo = this.mos.get(dn);
      if (mo) out.push(mo);
    }
    return out;
  }

  private index(map: Map<string, Set<string>>, key: string, dn: string): void {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(dn);
  }

  private unindexClass(mo: Mo): void {
    this.classes.get(mo.className)?.delete(mo.dn);
  }
}
