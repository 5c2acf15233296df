import { sha256Hex } from '../canonical-json.js';

// Step Functions execution names: 1–80 characters from [A-Za-z0-9-_]. One ticket revision gives
// one name, so a retried delivery that slips past the dedupe still meets StartExecution's own
// idempotency (same name + same input) instead of starting a second change.
const maxLength = 80;

export function executionName(system: 'snow' | 'jira', ...parts: string[]): string {
  const name = [system, ...parts].map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '_')).join('-');
  if (name.length <= maxLength) return name;
  // Keep the readable head and make the tail unique.
  return `${name.slice(0, maxLength - 17)}-${sha256Hex(name).slice(0, 16)}`;
}
