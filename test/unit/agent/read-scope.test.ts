import { describe, expect, it } from 'vitest';
import { checkReadQueries } from '../../../agent/read-scope.js';
import { TaskOutsideScope } from '../../../agent/task-errors.js';
import { aciCollectQueries } from '../../../shared/aci/index.js';
import type { ApicQuery } from '../../../shared/agent-protocol/index.js';
import { onboardSpec } from '../aci/support/dc1.js';

// The agent's own fact queries pass its read allowlist; a root subtree query is a class query in
// disguise and passes only with a list of readable classes and nothing that widens it.

const spec = onboardSpec();
const scope = { tenants: [spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' };
const check = (queries: ApicQuery[]) => () => checkReadQueries('dc1-aci', scope, spec, queries);
const onUni = (query: Record<string, string>): ApicQuery[] => [{ name: 'q', path: '/api/mo/uni.json', query }];

describe('read scope of aci.collect', () => {
  it('admits the fact queries the agent builds from the spec', () => {
    expect(check(aciCollectQueries(spec))).not.toThrow();
  });

  it('admits a count of readable classes on a root (its answer is one number), and only a count', () => {
    expect(check(onUni({ 'query-target': 'subtree', 'target-subtree-class': 'l3extInstP,fvRsScope', 'rsp-subtree-include': 'count' }))).not.toThrow();
    expect(check(onUni({ 'query-target': 'subtree', 'target-subtree-class': 'aaaUser', 'rsp-subtree-include': 'count' }))).toThrow(TaskOutsideScope);
    expect(check(onUni({ 'query-target': 'subtree', 'target-subtree-class': 'fvESg', 'rsp-subtree-include': 'count,relations' }))).toThrow(TaskOutsideScope);
  });

  it('admits the learned endpoints\' paths and IPs as children of a root subtree query', () => {
    expect(check(onUni({ 'query-target': 'subtree', 'target-subtree-class': 'fvCtx,fvCEp', 'rsp-subtree': 'children', 'rsp-subtree-class': 'fvRsCEpToPathEp,fvIp' }))).not.toThrow();
  });

  it.each([
    ['a class outside the list (aaaUser)', { 'query-target': 'subtree', 'target-subtree-class': 'fvESg,aaaUser' }],
    ['no class list at all', { 'query-target': 'subtree' }],
    ['children only, which the class list does not restrict', { 'query-target': 'children', 'target-subtree-class': 'fvESg' }],
    ['rsp-subtree=full, which adds every child of the listed MOs', { 'query-target': 'subtree', 'target-subtree-class': 'fvESg', 'rsp-subtree': 'full' }],
    ['rsp-subtree-include', { 'query-target': 'subtree', 'target-subtree-class': 'fvESg', 'rsp-subtree-include': 'relations' }],
    ['children without a class list', { 'query-target': 'subtree', 'target-subtree-class': 'fvCEp', 'rsp-subtree': 'children' }],
    ['children of a class outside the list (aaaUserCert)', { 'query-target': 'subtree', 'target-subtree-class': 'fvCEp', 'rsp-subtree': 'children', 'rsp-subtree-class': 'fvIp,aaaUserCert' }],
  ])('refuses a subtree query on uni with %s', (_what, query) => {
    expect(check(onUni(query))).toThrow(TaskOutsideScope);
  });

  it('refuses another tenant and a DN outside the tenant and the fabric policies', () => {
    expect(check([{ name: 'q', path: '/api/mo/uni/tn-common.json', query: { 'rsp-subtree': 'full' } }])).toThrow(TaskOutsideScope);
    expect(check([{ name: 'q', path: '/api/mo/uni/userext.json' }])).toThrow(/not on the agent's read allowlist/);
  });
});
