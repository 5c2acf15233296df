import type { AciModelOptions } from '../aci/model/desired.js';
import type { ChangeMos } from '../aci/model/aci-mo.js';
import type { AciRuleContext } from '../aci/prechecks/context.js';
import type { Rule } from '../cilium/prechecks/rule-kit.js';
import type { KubeObject, PrecheckResult } from '../plan/index.js';
import type { AciContext, Change, ChangeSpec, ChangeType } from '../spec/index.js';

// What one change kind is made of (shared/kinds/README.md). Every part is required: a kind that
// forgets its fabric side, a precheck stage or its verification does not compile. Parts that do
// not apply say so in words (`clusterOnly`, `pending`) rather than by being left out.

export type ChangeOf<T extends ChangeType> = Extract<Change, { type: T }>;

/** The APIC side of a kind that touches the fabric. */
export interface FabricPart<C> {
  /** The objects the change wants in its `present` form; `absent` removes what they own. */
  readonly objects: (aci: AciContext, change: C, index: number, opts: AciModelOptions) => ChangeMos;
}

/** A kind that writes nothing to the APIC, and why. */
export interface ClusterOnly {
  readonly clusterOnly: string;
}

/**
 * The cluster prechecks of a kind, by stage. The runner interleaves the stages with the rules
 * every kind shares: release (then the version rule of every change), config, CRDs, nodes,
 * field ownership, existing objects, then `cilium status`.
 */
export interface ClusterPrechecks {
  /** What the Cilium release does with the kind beyond its minimum version. */
  readonly release: Rule;
  /** The cilium-config keys the kind needs. */
  readonly config: Rule;
  /** Selectors that must select some node. */
  readonly nodes: Rule;
  /** Clashes with objects of the kind that exist already. */
  readonly existing: Rule;
}

/** The cluster side: Cilium objects, the release that serves them, prechecks. */
export interface ClusterPart<C> {
  readonly objects: (change: C, spec: ChangeSpec, ciliumVersion: string, ciliumNamespace: string) => KubeObject[];
  /** Applied with force: only cilium-config, whose keys its installer (Helm) owns. */
  readonly force: boolean;
  readonly minimum: { readonly version: string; readonly why: string };
  /** Id of the precheck comparing the cluster's Cilium release with `minimum`. */
  readonly versionCheckId: string;
}

export interface CheckVerdict {
  readonly ok: boolean;
  readonly evidence: string;
}

/** A check over listed Kubernetes objects: the agent lists them and hands them to `evaluate`. */
export interface ObjectsCheck {
  readonly type: 'objects';
  readonly id: string;
  /** Runs when the spec has a change of the kind in this state. */
  readonly when: 'present' | 'any';
  /**
   * What the agent lists, in order, cluster-wide unless `namespace` (`cilium` is Cilium's own
   * namespace): cilium.io kinds are read at the newest served version, the others at v1.
   */
  readonly lists: ReadonlyArray<KubeList>;
  readonly evaluate: (spec: ChangeSpec, listed: ReadonlyArray<unknown[]>) => CheckVerdict;
  /**
   * What controllers write after the apply (leases, rollouts) takes a moment: the agent lists
   * again until the verdict is ok or this many seconds have passed. One look when unset.
   */
  readonly settleSeconds?: number;
}

export interface KubeList {
  readonly group: 'cilium.io' | 'core' | 'apps' | 'coordination.k8s.io';
  readonly kind: string;
  readonly namespace?: 'cilium';
  readonly labelSelector?: string;
}

/** BGP sessions on both sides, polled by the agent until established or the spec's timeout. */
export interface BgpSessionsCheck {
  readonly type: 'bgp-sessions';
  /** The agent records two outcomes: `bgp-fabric` and `bgp-cluster`. */
  readonly id: 'bgp-sessions';
  readonly when: 'present';
}

/**
 * A check over listed Kubernetes objects and APIC classes (the fabric's view of what the cluster
 * does, such as the IPs it learned from ARP): the agent lists both and hands them to `evaluate`.
 */
export interface FabricCheck {
  readonly type: 'fabric';
  readonly id: string;
  readonly when: 'present' | 'any';
  readonly lists: ReadonlyArray<KubeList>;
  /** APIC classes the agent reads (GET /api/class/<class>.json), in order. */
  readonly classes: readonly string[];
  readonly evaluate: (spec: ChangeSpec, listed: ReadonlyArray<unknown[]>, fabric: ReadonlyArray<unknown[]>) => CheckVerdict;
  readonly settleSeconds?: number;
}

/**
 * A check over `cilium status -o json`, whose `cilium_status` holds each agent's own status (the
 * CLI asks every agent pod): the agent runs it and hands the document and the listed objects over.
 */
export interface CiliumStatusCheck {
  readonly type: 'cilium-status';
  readonly id: string;
  readonly when: 'present' | 'any';
  readonly lists: ReadonlyArray<KubeList>;
  readonly evaluate: (spec: ChangeSpec, status: unknown, listed: ReadonlyArray<unknown[]>) => CheckVerdict;
}

export type VerifyCheck = ObjectsCheck | FabricCheck | CiliumStatusCheck | BgpSessionsCheck;

/** The checks the verify step runs for the kind, or why it has none yet. */
export type VerifyPart = { readonly checks: readonly [VerifyCheck, ...VerifyCheck[]] } | { readonly pending: string };

export interface ChangeKind<T extends ChangeType> {
  readonly type: T;
  /** One line for `changeflow validate` and ticket notes, without the type. */
  readonly describe: (change: ChangeOf<T>, fabricAsn: number) => string;
  readonly aci: FabricPart<ChangeOf<T>> | ClusterOnly;
  readonly cluster: ClusterPart<ChangeOf<T>>;
}

/** The registry's shape: exactly one kind per change type. */
export type ChangeKinds = { readonly [T in ChangeType]: ChangeKind<T> };

/**
 * Each kind's verification (verify-registry.ts), kept beside the kind rather than in it: only the
 * agent runs verify checks, and a ChangeKind holding them put every kind's checks into the plan
 * and precheck Lambda bundles too. Required per change type like the kinds themselves.
 */
export type KindVerifications = { readonly [T in ChangeType]: VerifyPart };

/** The prechecks of one kind: its ACI rules (when it touches the fabric) and its cluster stages. */
export interface KindPrecheckPart {
  /**
   * The ACI prechecks of the kind's present changes (none when the spec has none), or why the
   * kind has none. Fabric-wide rules that several kinds need (the L3Out's VRF, policy CAM) run
   * once, after the last of them.
   */
  readonly aci: ((ctx: AciRuleContext) => PrecheckResult[]) | ClusterOnly;
  readonly cluster: ClusterPrechecks;
}

/**
 * Each kind's prechecks (precheck-registry.ts), kept beside the kind rather than in it for the same
 * reason as its verification: only the precheck step runs them, and a ChangeKind holding them put
 * every rule into the plan Lambda's bundle too. Required per change type like the kinds themselves.
 */
export type KindPrechecks = { readonly [T in ChangeType]: KindPrecheckPart };
