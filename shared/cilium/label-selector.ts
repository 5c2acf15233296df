import * as z from '../zod.js';

// Kubernetes label selectors as Cilium objects carry them (nodeSelector, serviceSelector,
// podSelector), and the two questions changeflow asks of them: does this selector pick these
// labels, and could two selectors ever pick the same service.

export const LabelSelectorRequirement = z.object({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.optional(z.array(z.string())),
});
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

export const LabelSelector = z.looseObject({
  matchLabels: z.optional(z.record(z.string(), z.string())),
  matchExpressions: z.optional(z.array(LabelSelectorRequirement)),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

/**
 * A Service advertisement without a selector matches nothing, so "every service" is spelled as a
 * requirement no label satisfies the negation of (reference/cilium.md §1, CiliumBGPAdvertisement).
 */
export const matchEverySelector: LabelSelector = {
  matchExpressions: [{ key: 'changeflow.io/never-set', operator: 'NotIn', values: ['never-used-value'] }],
};

/** True when `selector` selects an object with `labels`; an absent selector selects everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    const values = req.values ?? [];
    if (req.operator === 'In' && !(has && values.includes(value ?? ''))) return false;
    if (req.operator === 'NotIn' && has && values.includes(value ?? '')) return false;
    if (req.operator === 'Exists' && !has) return false;
    if (req.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * True unless the two selectors contradict each other on some key, i.e. some service could carry
 * labels both select. `labels` is a plain matchLabels map (what ChangeSpec selectors are).
 */
export function selectorsCanOverlap(labels: Readonly<Record<string, string>>, other: LabelSelector | undefined): boolean {
  if (!other) return true;
  for (const [key, value] of Object.entries(other.matchLabels ?? {})) {
    const mine = labels[key];
    if (mine !== undefined && mine !== value) return false;
  }
  for (const req of other.matchExpressions ?? []) {
    const mine = labels[req.key];
    if (mine === undefined) {
      continue; // the spec does not pin this key, so some service may satisfy the requirement
    }
    const values = req.values ?? [];
    if (req.operator === 'In' && !values.includes(mine)) return false;
    if (req.operator === 'NotIn' && values.includes(mine)) return false;
    if (req.operator === 'DoesNotExist') return false;
  }
  return true;
}

export function describeSelector(selector: LabelSelector | Readonly<Record<string, string>> | undefined): string {
  if (!selector) return '(all)';
  const isPlain = !('matchLabels' in selector) && !('matchExpressions' in selector);
  const labels = isPlain ? (selector as Record<string, string>) : ((selector as LabelSelector).matchLabels ?? {});
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  if (!isPlain) {
    for (const r of (selector as LabelSelector).matchExpressions ?? []) {
      parts.push(`${r.key} ${r.operator}${r.values ? ` (${r.values.join(',')})` : ''}`);
    }
  }
  return parts.length > 0 ? parts.join(',') : '(all)';
}
