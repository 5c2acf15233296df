// Distinguished names of the APIC management information tree. An RN may hold a bracketed name
// with `/` inside (`vlifp-[topology/pod-1/node-101]-[vlan-300]`, or nested:
// `rspathL3OutAtt-[topology/pod-1/paths-101/pathep-[eth1/11]]`), so DNs are split by bracket
// depth, never by a plain `split('/')`.

/** Splits a DN into its RNs, keeping `/` that sit inside brackets. */
export function splitDn(dn: string): string[] {
  const rns: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '/' && depth === 0) {
      rns.push(dn.slice(start, i));
      start = i + 1;
    }
  }
  rns.push(dn.slice(start));
  return rns.filter((rn) => rn.length > 0);
}

/** Joins RNs back into a DN. */
export function joinRns(rns: ReadonlyArray<string>): string {
  return rns.join('/');
}

/** The DN of a child: parent DN + RN (an empty parent means the RN is a root such as `uni`). */
export function childDn(parentDn: string, rn: string): string {
  return parentDn === '' ? rn : `${parentDn}/${rn}`;
}

/** The parent DN of a DN; '' for a root (`uni`, `topology`). */
export function parentDn(dn: string): string {
  const rns = splitDn(dn);
  return joinRns(rns.slice(0, -1));
}

/** The last RN of a DN. */
export function lastRn(dn: string): string {
  const rns = splitDn(dn);
  return rns[rns.length - 1] ?? '';
}

/** True when `dn` equals `ancestor` or sits below it. */
export function isWithin(dn: string, ancestor: string): boolean {
  if (ancestor === '') return true;
  const a = splitDn(ancestor);
  const d = splitDn(dn);
  if (d.length < a.length) return false;
  return a.every((rn, i) => d[i] === rn);
}

/** True when a naming value must be bracketed inside an RN (it would otherwise split the DN). */
export function needsBracket(value: string): boolean {
  return /[/[\]]/.test(value);
}

/** Brackets a naming value when it contains `/` or brackets: `10.0.0.0/8` → `[10.0.0.0/8]`. */
export function bracket(value: string): string {
  return needsBracket(value) ? `[${value}]` : value;
}

/** Removes one pair of enclosing brackets: `[eth1/11]` → `eth1/11`; other values unchanged. */
export function unbracket(value: string): string {
  if (value.startsWith('[') && value.endsWith(']') && matchingClose(value, 0) === value.length - 1) {
    return value.slice(1, -1);
  }
  return value;
}

/** Index of the `]` that closes the `[` at `open`, or -1. */
export function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
