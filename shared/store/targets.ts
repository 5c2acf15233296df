import { InvalidInput } from '../errors.js';
import type { ChangeTargets } from './change-record.js';

// A target is what a lease protects and what a change is listed under: `fabric#dc1-aci`,
// `cluster#prod-a`. People type `fabric:dc1-aci` (a '#' needs escaping in URLs), so both parse.
export type TargetKind = 'fabric' | 'cluster';

export interface TargetRef {
  readonly kind: TargetKind;
  readonly name: string;
  /** Canonical form used in keys: `kind#name`. */
  readonly key: string;
}

const refPattern = /^(fabric|cluster)[#:/]([A-Za-z0-9][A-Za-z0-9._-]{0,99})$/;

export function targetRef(kind: TargetKind, name: string): TargetRef {
  return { kind, name, key: `${kind}#${name}` };
}

export function parseTargetRef(text: string): TargetRef {
  const match = refPattern.exec(text.trim());
  if (!match) {
    throw new InvalidInput(`expected a target like fabric:dc1-aci or cluster:prod-a, found "${text}"`, [
      { path: 'target', message: 'use fabric:NAME or cluster:NAME (or fabric#NAME)' },
    ]);
  }
  return targetRef(match[1] as TargetKind, match[2] as string);
}

/** The form people type and `changeflow unlock --help` shows: `fabric:dc1-aci` for the key `fabric#dc1-aci`. */
export function typedTarget(key: string): string {
  return key.replace(/^(fabric|cluster)#/, '$1:');
}

/** Lease keys of a change in the fixed acquisition order (sorted), so two changes never deadlock. */
export function leaseTargetsOf(targets: ChangeTargets): string[] {
  return [targetRef('fabric', targets.fabric).key, targetRef('cluster', targets.cluster).key].sort();
}
