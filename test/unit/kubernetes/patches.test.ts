import { describe, expect, it } from 'vitest';
import { jsonPatch, JsonPatchError, mergePatch } from '../../../local/lab/kubernetes/patches.js';
import { matchesLabelSelector, parseSelectorQuery } from '../../../local/lab/kubernetes/label-selector.js';

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces lists', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] })).toEqual({ a: 1, b: { d: 3, e: 4 }, l: [3] });
  });

  it('merges keyed lists and ignores directives in strategic mode', () => {
    const live = { containers: [{ name: 'agent', image: 'a:1' }, { name: 'sidecar', image: 's:1' }] };
    expect(mergePatch(live, { $setElementOrder: [], containers: [{ name: 'agent', image: 'a:2' }] }, true)).toEqual({
      containers: [{ name: 'agent', image: 'a:2' }, { name: 'sidecar', image: 's:1' }],
    });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, replace, remove, move, copy and test in order', () => {
    const out = jsonPatch({ data: { a: '1' }, l: [1] }, [
      { op: 'add', path: '/data/b', value: '2' },
      { op: 'replace', path: '/data/a', value: 'x' },
      { op: 'add', path: '/l/-', value: 2 },
      { op: 'copy', from: '/data/b', path: '/data/c' },
      { op: 'move', from: '/data/c', path: '/moved' },
      { op: 'remove', path: '/l/0' },
      { op: 'test', path: '/moved', value: '2' },
    ]);
    expect(out).toEqual({ data: { a: 'x', b: '2' }, l: [2], moved: '2' });
  });

  it.each([
    [[{ op: 'replace', path: '/missing', value: 1 }], /does not exist/],
    [[{ op: 'test', path: '/a', value: 2 }], /test operation failed/],
    [[{ op: 'frobnicate', path: '/a' }], /unknown JSON patch operation/],
    [{ op: 'add' }, /array of operations/],
  ])('rejects %j', (ops, message) => {
    expect(() => jsonPatch({ a: 1 }, ops)).toThrow(JsonPatchError);
    expect(() => jsonPatch({ a: 1 }, ops)).toThrow(message);
  });
});

describe('label selectors', () => {
  it.each([
    ['bgp=enabled', { bgp: 'enabled' }, true],
    ['bgp=enabled', { bgp: 'no' }, false],
    ['bgp!=enabled', {}, true],
    ['egress-gateway', { 'egress-gateway': 'true' }, true],
    ['!egress-gateway', { 'egress-gateway': 'true' }, false],
    ['color in (red,blue),bgp', { color: 'red', bgp: '' }, true],
    ['color notin (red)', { color: 'red' }, false],
  ])('query %s on %j is %s', (query, labels, expected) => {
    expect(parseSelectorQuery(query)(labels)).toBe(expected);
  });

  it('treats a nil LabelSelector as everything and evaluates matchExpressions', () => {
    expect(matchesLabelSelector(undefined, { a: 'b' })).toBe(true);
    expect(matchesLabelSelector(undefined, { a: 'b' }, false)).toBe(false);
    const selector = { matchLabels: { bgp: 'enabled' }, matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['never-used-value'] }] };
    expect(matchesLabelSelector(selector, { bgp: 'enabled' })).toBe(true);
    expect(matchesLabelSelector(selector, { bgp: 'enabled', zone: 'never-used-value' })).toBe(false);
    expect(matchesLabelSelector({ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }, { x: '1' })).toBe(false);
  });
});
