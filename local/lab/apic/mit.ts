import { parentDn } from '../../../shared/aci/dn.js';

// The management information tree: MOs by DN with a children index and a class index, so
// DN lookups, subtree walks and class queries stay cheap on a fabric with thousands of MOs. The
// sorted DN lists of both indexes are cached until a write touches them: on the scale scenario a
// query reads thousands of MOs of one class and must not sort them again each time.

export interface Mo {
  className: string;
  dn: string;
  /** Every stored property except `dn` and the volatile ones the router adds on the way out. */
  attrs: Record<string, string>;
  modTs: string;
  /**
   * Write-only properties (bgpPeerP.password) as posted: kept like an APIC keeps them, never in a
   * GET answer or the policy dump; tests read them in process (lab.mit).
   */
  writeOnly?: Record<string, string>;
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
  private sortedCache = new Map<Set<string>, string[]>();
  private writes = 0;
  private policyWrites = 0;

  get size(): number {
    return this.mos.size;
  }

  /** Grows with every write: readers that derive state from the tree redo it only when it moved. */
  get version(): number {
    return this.writes;
  }

  /** Grows with every write under uni/ (the policy tree): operational rebuilds leave it alone. */
  get policyVersion(): number {
    return this.policyWrites;
  }

  /** How many MOs of a class there are, without reading them. */
  countOf(className: string): number {
    return this.classes.get(className)?.size ?? 0;
  }

  /** MOs of these classes within `dn` (itself included), from the class index: a subtree query with a class list. */
  byClassWithin(classNames: Iterable<string>, dn: string): Mo[] {
    const out: Mo[] = [];
    const prefix = `${dn}/`;
    for (const cls of classNames) {
      for (const mo of this.byClass(cls)) if (mo.dn === dn || mo.dn.startsWith(prefix)) out.push(mo);
    }
    return out;
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
    this.writes += 1;
    if (mo.dn.startsWith('uni/')) this.policyWrites += 1;
    const old = this.mos.get(mo.dn);
    if (old && old.className !== mo.className) this.unindexClass(old);
    this.mos.set(mo.dn, mo);
    this.index(this.kids, parentDn(mo.dn), mo.dn);
    this.index(this.classes, mo.className, mo.dn);
  }

  /** Removes an MO and everything below it; returns what was removed, parents first. */
  deleteSubtree(dn: string): Mo[] {
    const removed = this.mos.has(dn) ? this.subtree(dn) : this.descendants(dn);
    if (removed.length > 0) this.writes += 1;
    if (removed.some((mo) => mo.dn.startsWith('uni/'))) this.policyWrites += 1;
    for (const mo of removed) {
      this.mos.delete(mo.dn);
      const kids = this.kids.get(mo.dn);
      if (kids) this.sortedCache.delete(kids);
      this.kids.delete(mo.dn);
      const siblings = this.kids.get(parentDn(mo.dn));
      if (siblings?.delete(mo.dn)) this.sortedCache.delete(siblings);
      this.unindexClass(mo);
    }
    return removed;
  }

  private sorted(dns: Set<string> | undefined): Mo[] {
    if (!dns) return [];
    let order = this.sortedCache.get(dns);
    if (!order) {
      order = [...dns].sort();
      this.sortedCache.set(dns, order);
    }
    const out: Mo[] = [];
    for (const dn of order) {
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
    if (set.has(dn)) return;
    set.add(dn);
    this.sortedCache.delete(set);
  }

  private unindexClass(mo: Mo): void {
    const set = this.classes.get(mo.className);
    if (set?.delete(mo.dn)) this.sortedCache.delete(set);
  }
}
