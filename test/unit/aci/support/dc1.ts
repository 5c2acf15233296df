import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAciFacts, type AciFacts } from '../../../../shared/aci/index.js';
import { parseChangeSpecText, type ChangeSpec } from '../../../../shared/spec/index.js';

// The default lab fabric dc1 as an operator would capture it (test/fixtures/aci/dc1/*.json, one
// APIC answer per file), and the onboarding example spec that targets it.

const fixtures = new URL('../../../fixtures/aci/', import.meta.url).pathname;

/** Every captured answer, or all but the named files (to replace them with fresher reads). */
export function dc1Imdata(except: ReadonlyArray<string> = []): unknown[] {
  const dir = join(fixtures, 'dc1');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !except.includes(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);
}

export function dc1Facts(): AciFacts {
  return parseAciFacts(dc1Imdata(), { tenant: 'k8s-prod-a' });
}

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as unknown;
}

export function specFrom(text: string): ChangeSpec {
  const parsed = parseChangeSpecText(text);
  if (!parsed.ok) throw new Error(`fixture spec is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.spec;
}

export function onboardSpec(): ChangeSpec {
  return specFrom(readFileSync(new URL('../../../../examples/onboard-prod-a.yaml', import.meta.url), 'utf8'));
}

/** The default lab's BGP nodes: w1, w2 on leaf 101, w3 on 102, w4 on 103. */
export const dc1Nodes = [
  { name: 'prod-a-w1', ip: '192.168.2.11' },
  { name: 'prod-a-w2', ip: '192.168.2.12' },
  { name: 'prod-a-w3', ip: '192.168.2.13' },
  { name: 'prod-a-w4', ip: '192.168.2.14' },
];
