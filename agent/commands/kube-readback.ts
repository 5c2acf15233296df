import type { ClusterClient } from '../cluster/index.js';
import type { Readback } from '../../shared/plan/index.js';

// Read-back for cluster objects. Fields are dotted paths → expected values (shared/cilium/plan/
// kube-ops.ts): objects match as subsets, lists item by item, null means "must be absent".

function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected === null) return actual === undefined || actual === null;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => matches((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

/** The object among `written` that `ref` names (server-side apply answers with the stored object). */
function answeredFor(ref: { apiVersion: string; kind: string; name: string; namespace?: string }, written: readonly unknown[]): unknown {
  return written.find((w) => {
    const o = w as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
    return o.apiVersion === ref.apiVersion && o.kind === ref.kind && o.metadata?.name === ref.name && (o.metadata?.namespace ?? undefined) === (ref.namespace ?? undefined);
  });
}

/**
 * Checks the planned fields. An object the write just answered with is judged from that answer:
 * server-side apply returns the object as stored, so a GET right after would read the same.
 */
export async function kubeReadbackHolds(client: ClusterClient, checks: readonly Readback[], written: readonly unknown[] = []): Promise<{ holds: boolean; detail: string }> {
  for (const check of checks) {
    if (check.target !== 'kubernetes') continue;
    const obj = (check.absent ? undefined : answeredFor(check.ref, written)) ?? (await client.tryRead(check.ref));
    const label = `${check.ref.kind}/${check.ref.namespace ? `${check.ref.namespace}/` : ''}${check.ref.name}`;
    if (check.absent) {
      if (obj) return { holds: false, detail: `${label} still exists` };
      continue;
    }
    if (!obj) return { holds: false, detail: `${label} does not exist` };
    for (const [path, want] of Object.entries(check.fields ?? {})) {
      if (!matches(valueAt(obj, path), want)) return { holds: false, detail: `${label} .${path} is ${JSON.stringify(valueAt(obj, path))}, expected ${JSON.stringify(want)}` };
    }
  }
  return { holds: true, detail: `${checks.length} object(s) read back as planned` };
}
