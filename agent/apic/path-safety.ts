import { UnsafeRequest } from '../task-errors.js';

// Nothing reaches an APIC URL unchecked (issue 13 §1 "path safety"). fetch normalises `..` and
// `.` segments, treats `\` as `/`, and `?`/`#` end the path, so a DN such as `uni/../../api/
// aaaLogout` or `uni/tn-a?x=` would address something other than the object named. A DN is
// accepted only when it parses as RNs of the APIC grammar: a known root, then `prefix-value`
// RNs whose values are plain or bracketed (brackets may hold `/`, as in
// `rsnodeL3OutAtt-[topology/pod-1/node-101]`).

const roots = new Set(['uni', 'topology']);
const maxDnLength = 1024;
/** Outside brackets an RN is a class prefix, optionally `-` and plain naming characters. */
const plainRn = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9_.:-]*)?$/;
const className = /^[a-z][A-Za-z0-9]{1,63}$/;
const queryKey = /^[a-z][a-z0-9-]{0,63}$/;

function refuse(what: string, value: string, why: string): never {
  throw new UnsafeRequest(`refused ${what} ${JSON.stringify(value.slice(0, 200))}: ${why}; nothing was sent to the APIC`);
}

/** Splits a DN into RNs at depth-0 `/`, refusing empty RNs and unbalanced brackets. */
function rnsOf(dn: string): string[] {
  const rns: string[] = [];
  let depth = 0;
  let current = '';
  let plain = '';
  for (const ch of dn) {
    if (ch === '[') depth++;
    else if (ch === ']') {
      if (depth === 0) refuse('DN', dn, 'a "]" closes no "["');
      depth--;
    } else if (ch === '/' && depth === 0) {
      if (current === '') refuse('DN', dn, 'an empty RN ("//" or a leading "/")');
      if (!plainRn.test(plain)) refuse('DN', dn, `RN "${current}" is not of the form prefix-name`);
      rns.push(current);
      current = '';
      plain = '';
      continue;
    }
    current += ch;
    if (depth === 0 && ch !== ']') plain += ch;
  }
  if (depth !== 0) refuse('DN', dn, 'a "[" is never closed');
  if (current === '') refuse('DN', dn, 'it ends with "/"');
  if (!plainRn.test(plain)) refuse('DN', dn, `RN "${current}" is not of the form prefix-name`);
  rns.push(current);
  return rns;
}

/** A DN safe to put into /api/mo/<dn>.json; returns it unchanged or throws UnsafeRequest. */
export function safeDn(dn: string): string {
  if (dn.length === 0 || dn.length > maxDnLength) refuse('DN', dn, `a DN has 1–${maxDnLength} characters`);
  if (/[^\x21-\x7e]/.test(dn)) refuse('DN', dn, 'it holds whitespace, control or non-ASCII characters');
  if (/[?#%\\]/.test(dn)) refuse('DN', dn, 'it holds "?", "#", "%" or "\\", which would end or re-encode the path');
  if (dn.includes('..')) refuse('DN', dn, 'it holds ".."');
  if (dn.startsWith('/')) refuse('DN', dn, 'a DN does not start with "/"');
  const rns = rnsOf(dn);
  if (!roots.has(rns[0] ?? '')) refuse('DN', dn, `a DN starts at ${[...roots].join(' or ')}`);
  return dn;
}

export function safeClassName(name: string): string {
  if (!className.test(name)) refuse('class name', name, 'an APIC class name is letters and digits, starting lower-case (fvTenant)');
  return name;
}

/** /api/[node/](mo|class)/<dn or class>.(json|xml): the only paths the client sends requests to. */
export function safeApiPath(path: string): string {
  const m = /^\/api\/(node\/)?(mo|class)\/(.+)\.(json|xml)$/.exec(path);
  if (!m) refuse('path', path, 'expected /api/mo/<dn>.json or /api/class/<class>.json');
  const [, , kind, rest] = m;
  if (kind === 'mo') safeDn(rest ?? '');
  else safeClassName(rest ?? '');
  return path;
}

/** `?k=v&…` with keys from the APIC option grammar and every key and value percent-encoded. */
export function safeQueryString(query: Readonly<Record<string, string | number | undefined>> | undefined): string {
  const parts = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (!queryKey.test(k)) refuse('query option', k, 'APIC options are lower-case words joined by "-" (rsp-subtree-include)');
      return `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
    });
  return parts.length ? `?${parts.join('&')}` : '';
}
