import * as z from '../../zod.js';

// One managed object as the model handles it: class, DN and attributes (strings, as the APIC
// sends them). The REST JSON form (`{"<class>": {attributes, children}}`) is built from these.

export const AciMo = z.strictObject({
  className: z.string().check(z.minLength(1)),
  dn: z.string().check(z.minLength(1)),
  attrs: z.record(z.string(), z.string()),
});
export type AciMo = z.infer<typeof AciMo>;

/**
 * What a change does with an object it needs:
 * - `shared`: tenant and VRF — created when missing, never modified, never removed by `absent`;
 * - `container`: L3Out, application profile, external EPG — created when missing, never modified,
 *   removed by `absent` only when changeflow owns it and nothing else lives in it;
 * - `owned`: the change's own objects — attributes kept as desired, removed by `absent`;
 * - `policy`: tenant-level policies referenced by name — like `owned`, but removed only while
 *   nothing else references them;
 * - `part`: a singleton that lives and dies with its parent (the VRF relation of an L3Out or an
 *   ESG) — created with it, never modified, never removed on its own.
 */
export const MoRole = z.enum(['shared', 'container', 'owned', 'policy', 'part']);
export type MoRole = z.infer<typeof MoRole>;

export const DesiredMo = z.extend(AciMo, {
  role: MoRole,
  /** Index of the spec change that wants the object. */
  change: z.int().check(z.nonnegative()),
  /** Attributes written at creation only (ownership markers), never compared afterwards. */
  createOnly: z.optional(z.array(z.string())),
});
export type DesiredMo = z.infer<typeof DesiredMo>;

/** Owned objects below `root` that no present change wants are removed ("pruned"). */
export const PruneScope = z.strictObject({
  root: z.string(),
  /** Only MOs of this class (all classes when absent). */
  className: z.optional(z.string()),
  /** Only MOs whose `name` equals this (one change's objects among several changes'). */
  name: z.optional(z.string()),
  change: z.int().check(z.nonnegative()),
});
export type PruneScope = z.infer<typeof PruneScope>;

export const ChangeMos = z.strictObject({
  mos: z.array(DesiredMo),
  prune: z.array(PruneScope),
});
export type ChangeMos = z.infer<typeof ChangeMos>;
