import { describe, expect, it } from 'vitest';
import { parseChangeSpecText } from '../../../shared/spec/parse.js';
import { maxSpecLines, maxSpecNodes, readYamlData } from '../../../shared/spec/yaml-document.js';

// The ChangeSpec reader refuses what YAML adds beyond plain data, naming the problem and where.
const spec = `apiVersion: changeflow/v1
kind: ChangeSpec
target: { site: dc1, fabric: dc1-aci, cluster: prod-a }
aci: { tenant: k8s-prod-a, vrf: vrf-1, l3out: prod-a-l3out, physDomain: k8s-phys, fabricAsn: 65001 }
changes:
  - type: loadBalancerPool
    name: pool-blue
    blocks: ["10.0.11.0/25"]
    serviceSelector: { color: blue }
    externalEpg: default_svc
mode: plan-only
`;

const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');

function refusal(text: string): { path: string; message: string } {
  const result = readYamlData(text);
  if (result.ok) throw new Error(`expected a refusal, the text was read as ${JSON.stringify(result.data).slice(0, 80)}`);
  return result.issues[0]!;
}

describe('readYamlData', () => {
  it('reads a plain ChangeSpec and JSON', () => {
    expect(parseChangeSpecText(spec).ok).toBe(true);
    expect(readYamlData('{"a": [1, "x", true, null]}')).toEqual({ ok: true, data: { a: [1, 'x', true, null] } });
  });

  it.each([
    ['an alias bomb', bomb, /aliases \(\*a\) are not allowed/, 'b[0]'],
    ['an unresolved alias', 'a: *nope', /aliases \(\*nope\) are not allowed/, 'a'],
    ['an alias in a list', 'x: &x 1\nlist: [1, *x]', /aliases \(\*x\)/, 'list[1]'],
    ['an alias as a key', 'k: &k a\n*k : 1', /aliases \(\*k\)/, ''],
    ['a custom tag', 'changes:\n  - !foo bar', /the YAML tag !foo is not allowed/, 'changes[0]'],
    ['!!binary', 'a: !!binary aGVsbG8=', /!!binary is not allowed/, 'a'],
    ['!!set', 'a: !!set {x}', /!!set is not allowed/, 'a'],
    ['a local tag on a mapping', 'aci: !<tag:example.com,2000:x> {tenant: t}', /tag:example\.com,2000:x is not allowed/, 'aci'],
    ['a duplicate key', 'mode: plan-only\nmode: apply', /duplicate key "mode"/, 'mode'],
    ['a nested duplicate key', 'aci:\n  tenant: a\n  tenant: b', /duplicate key "tenant"/, 'aci.tenant'],
    ['a duplicate key in JSON', '{"a": {"b": 1, "b": 2}}', /duplicate key "b"/, 'a.b'],
    ['a collection key', '? [a, b]\n: 1', /plain string, not a list/, ''],
    ['two documents', 'a: 1\n---\nb: 2', /not valid YAML\/JSON: Source contains multiple documents/, ''],
  ])('refuses %s', (_name, text, message, path) => {
    const issue = refusal(text);
    expect(issue.message).toMatch(message);
    expect(issue.path).toBe(path);
  });

  it('allows core-schema tags such as !!str', () => {
    expect(readYamlData('vlan: !!str 300')).toEqual({ ok: true, data: { vlan: '300' } });
  });

  it(`refuses more than ${maxSpecNodes} keys before parsing, and finds a duplicate among 20 000 keys in one pass`, () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    expect(refusal(many).message).toMatch(/about 20000 keys and items; a ChangeSpec has at most 2000/);
    const justUnder = `${Array.from({ length: maxSpecNodes - 1 }, (_, i) => `k${i}: ${i}`).join('\n')}\nk7: again`;
    expect(refusal(justUnder)).toEqual({ path: 'k7', message: expect.stringMatching(/duplicate key "k7"/) });
  });

  it(`refuses more than ${maxSpecLines} lines, comments included`, () => {
    expect(refusal(`${'# note\n'.repeat(60_000)}a: 1`).message).toBe(`the document has 60001 lines; a ChangeSpec has at most ${maxSpecLines}`);
  });

  it('counts structure hidden inside quotes too, so a stray quote cannot smuggle keys past the bound', () => {
    const hidden = `a: it's\n${Array.from({ length: maxSpecNodes + 1 }, (_, i) => `k${i}: 1`).join('\n')}\nb: '`;
    expect(refusal(hidden).message).toMatch(/at most 2000/);
  });

  it('names the alias inside a ChangeSpec with the path a person reads', () => {
    const result = parseChangeSpecText(spec.replace('serviceSelector: { color: blue }', 'serviceSelector: &s { color: blue }\n    labels: *s'));
    expect(result).toEqual({ ok: false, issues: [{ path: 'changes[0].labels', message: expect.stringMatching(/aliases \(\*s\) are not allowed in a ChangeSpec/) }] });
  });
});
