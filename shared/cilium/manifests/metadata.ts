import { managedByLabel } from '../ownership.js';

/** Metadata of an object changeflow creates: name and labels only, nothing run-specific. */
export function createdMetadata(name: string, extraLabels: Record<string, string> = {}): { name: string; labels: Record<string, string> } {
  return { name, labels: { [managedByLabel.key]: managedByLabel.value, ...extraLabels } };
}

/** A matchLabels selector, or undefined for an empty one (Kubernetes reads nil as "all"). */
export function matchLabelsOrAll(labels: Readonly<Record<string, string>>): { matchLabels: Record<string, string> } | undefined {
  return Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : undefined;
}
