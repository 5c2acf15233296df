import { sha256Hex } from '../../canonical-json.js';

// Kubernetes names run to 253 characters, APIC names to 64 ([A-Za-z0-9_.:-]). A change's name is
// written into APIC `name` attributes to tell its objects apart, so long names are shortened
// with a hash suffix that keeps them unique and stable.
const APIC_NAME_MAX = 64;

export function apicSafeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.:-]/g, '_');
  if (cleaned.length <= APIC_NAME_MAX && cleaned === name) return name;
  return `${cleaned.slice(0, APIC_NAME_MAX - 9)}-${sha256Hex(name).slice(0, 8)}`;
}
