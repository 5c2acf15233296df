import type { ApicClient } from '../apic/client.js';
import type { Readback } from '../../shared/plan/index.js';

// Read-back after every APIC write: NaC #258 showed that a tool trusting the status code reports
// success for configuration the APIC refused. What was written must be read again and match.

export async function apicReadbackHolds(client: ApicClient, checks: readonly Readback[]): Promise<{ holds: boolean; detail: string }> {
  for (const check of checks) {
    if (check.target !== 'apic') continue;
    const mos = await client.mo(check.dn, { 'rsp-prop-include': 'all' });
    const first = mos[0];
    const attrs = first ? Object.values(first)[0]?.attributes : undefined;
    if (check.absent) {
      if (attrs) return { holds: false, detail: `${check.dn} still exists` };
      continue;
    }
    if (!attrs) return { holds: false, detail: `${check.dn} does not exist` };
    for (const [name, want] of Object.entries(check.attributes ?? {})) {
      if (attrs[name] !== want) return { holds: false, detail: `${check.dn} ${name} is "${attrs[name] ?? ''}", expected "${want}"` };
    }
  }
  return { holds: true, detail: `${checks.length} object(s) read back as planned` };
}
