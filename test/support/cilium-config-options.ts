import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { crdRoot } from './cilium-crds.js';

// The agent option table of each release (../shared/reference/cilium-crds/cilium-config-keys.tsv,
// read at test time only): which cilium-config keys the agent of that release reads and the values
// it takes. A key marked `absent` is not read by that release at all (set, it is silently ignored).

export type OptionRule =
  | { readonly type: 'absent' | 'bool' | 'duration' | 'cidr4' | 'dnslabel' | 'number' | 'uint' }
  | { readonly type: 'enum'; readonly values: readonly string[] };

export interface OptionRow {
  readonly release: string;
  readonly key: string;
  readonly rule: OptionRule;
  readonly source: string;
}

function parseRule(text: string): OptionRule {
  if (text.startsWith('enum:')) return { type: 'enum', values: text.slice('enum:'.length).split('|') };
  if (['absent', 'bool', 'duration', 'cidr4', 'dnslabel', 'number', 'uint'].includes(text)) return { type: text as Exclude<OptionRule['type'], 'enum'> };
  throw new Error(`unknown rule "${text}" in cilium-config-keys.tsv`);
}

export function loadOptionTable(): OptionRow[] {
  return readFileSync(join(crdRoot, 'cilium-config-keys.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [release, key, rule, source] = line.split('\t');
      if (!release || !key || !rule) throw new Error(`bad line in cilium-config-keys.tsv: ${line}`);
      return { release: release.replace(/^v/, ''), key, rule: parseRule(rule), source: source ?? '' };
    });
}

// Go's strconv.ParseBool (viper's GetBool) and time.ParseDuration.
const goBool = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];
const goDuration = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** Why `value` is not what the release's agent takes for `key`, or undefined when it is. */
export function optionProblem(row: OptionRow | undefined, key: string, value: string): string | undefined {
  if (!row) return `${key} is not in the option table`;
  const r = row.rule;
  const bad = (want: string) => `${key}=${value} on ${row.release}: expected ${want} (${row.source})`;
  switch (r.type) {
    case 'absent':
      return `${key} is not read by Cilium ${row.release} (${row.source})`;
    case 'bool':
      return goBool.includes(value) ? undefined : bad('a boolean');
    case 'duration':
      return goDuration.test(value) ? undefined : bad('a Go duration');
    case 'cidr4':
      return ipaddr.IPv4.isValidCIDR(value) ? undefined : bad('an IPv4 CIDR');
    case 'dnslabel':
      return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value) ? undefined : bad('a DNS label');
    case 'number':
      return /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? undefined : bad('a number');
    case 'uint':
      return /^[0-9]+$/.test(value) ? undefined : bad('an unsigned integer');
    case 'enum':
      return r.values.includes(value) ? undefined : bad(`one of ${r.values.join('|')}`);
  }
}
