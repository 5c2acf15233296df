import { KubeObject } from '../../plan/index.js';

// `kubectl get -o json` prints either one object or a List; the API server's own lists are typed
// (`CiliumLoadBalancerIPPoolList`) and their items omit apiVersion and kind. Flatten all of them
// into objects, remembering which kinds were listed so "none exist" differs from "not collected".

export interface FlatObjects {
  readonly objects: KubeObject[];
  /** Kinds for which a list was seen: typed lists even when empty, generic Lists by their items. */
  readonly listedKinds: Set<string>;
  /** Documents that are not Kubernetes objects (e.g. APIC imdata, cilium status JSON). */
  readonly others: unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function flattenKubeObjects(inputs: readonly unknown[]): FlatObjects {
  const out: FlatObjects = { objects: [], listedKinds: new Set(), others: [] };
  const visit = (value: unknown, inherited?: { apiVersion?: string; kind?: string; inList?: boolean }) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, inherited);
      return;
    }
    if (!isRecord(value)) {
      out.others.push(value);
      return;
    }
    const kind = typeof value['kind'] === 'string' ? value['kind'] : inherited?.kind;
    const apiVersion = typeof value['apiVersion'] === 'string' ? value['apiVersion'] : inherited?.apiVersion;
    if (Array.isArray(value['items']) && (kind === 'List' || kind?.endsWith('List'))) {
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      if (itemKind) out.listedKinds.add(itemKind);
      for (const item of value['items']) visit(item, itemKind ? { apiVersion, kind: itemKind, inList: true } : { inList: true });
      return;
    }
    const parsed = KubeObject.safeParse({ ...value, ...(apiVersion ? { apiVersion } : {}), ...(kind ? { kind } : {}) });
    if (parsed.success) {
      out.objects.push(parsed.data);
      // Items of a generic List were listed too; a lone object says nothing about its siblings.
      if (inherited?.inList) out.listedKinds.add(parsed.data.kind);
    } else out.others.push(value);
  };
  visit(inputs);
  return out;
}

/**
 * The objects of one kind among captured lists, read through the caller's schema; objects the
 * schema does not accept are left out (a verify check then reports them missing, not crashed).
 */
export function objectsOfKind<T>(inputs: readonly unknown[], kind: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }): T[] {
  return flattenKubeObjects(inputs).objects.flatMap((o) => {
    if (o.kind !== kind) return [];
    const p = schema.safeParse(o);
    return p.success ? [p.data] : [];
  });
}
