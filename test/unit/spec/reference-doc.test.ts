import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceSections, renderSpecReference } from '../../../shared/spec/reference-doc.js';
import { fieldNotes, sectionRules } from '../../../shared/spec/reference-notes.js';

const docPath = join(import.meta.dirname, '../../../docs/changespec.md');

describe('docs/changespec.md', () => {
  it('equals the generator output (regenerate: node bin/changeflow.mjs spec-reference > docs/changespec.md)', () => {
    expect(readFileSync(docPath, 'utf8')).toBe(renderSpecReference());
  });

  it('has a note for every schema field and no note for a field that is gone', () => {
    const documented = referenceSections().flatMap((s) => s.fields.map((f) => `${s.section}:${f.path}`));
    expect(documented.filter((key) => fieldNotes[key] === undefined)).toEqual([]);
    expect(Object.keys(fieldNotes).filter((key) => !documented.includes(key))).toEqual([]);
  });

  it('documents every change type and the ChangeRequest, with rules for each', () => {
    const sections = referenceSections().map((s) => s.section);
    expect(sections).toEqual(['ChangeSpec', 'bgpPeering', 'loadBalancerPool', 'egressGateway', 'l2Announcement', 'ciliumConfig', 'ChangeRequest']);
    expect(sections.filter((s) => sectionRules[s] === undefined)).toEqual([]);
  });

  it('shows bounds and defaults taken from the schemas', () => {
    const doc = renderSpecReference();
    expect(doc).toContain('| `vlan` | yes | integer (1–4094) |');
    expect(doc).toContain('| `anchors` | yes | list of objects (1–6 items) |');
    expect(doc).toContain('| `mode` |  | `apply` \\| `plan-only` | `"apply"` |');
    expect(doc).toContain('| `peeringSubnet` | yes | string: network prefix, e.g. 10.0.10.0/24 |');
    expect(doc).toMatch(/\| `ipam` \| changing the IPAM mode/);
  });
});
