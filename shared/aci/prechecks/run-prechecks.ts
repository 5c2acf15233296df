import type { PrecheckResult } from '../../plan/index.js';
import type { ChangeSpec } from '../../spec/index.js';
import { emptyAciFacts, type AciFacts } from '../facts/aci-facts.js';
import {
  anchorsRule, bgpPeersPerLeafRule, esgsPerVrfRule, extEpgsFabricRule, extEpgsPerL3OutRule, ipSelectorsPerLeafRule, policyCamRule,
} from './capacity-rules.js';
import {
  fabricAsnRule, ipSelectorRule, l3outVrfRule, peeringPrefixRule, poolPrefixRule, routerIdRule,
} from './conflict-rules.js';
import { AciPrecheckOptions, ruleContext } from './context.js';
import { physDomainRule, vlanInPoolRule } from './domain-rules.js';
import { anchorMixRule, floatingSviRule, nexthopPropagateRule } from './version-rules.js';

/**
 * The ACI prechecks that apply to the spec's present fabric-touching changes (removals need
 * none). Missing facts give `unknown`, which blocks apply but not plan (DESIGN.md §3.4).
 */
export function runAciPrechecks(spec: ChangeSpec, facts: AciFacts | undefined, options: AciPrecheckOptions = {}): PrecheckResult[] {
  const ctx = ruleContext(spec, facts ?? emptyAciFacts(), AciPrecheckOptions.parse(options));
  const results: PrecheckResult[] = [];
  const { peering, pools, egress } = ctx;
  if (peering) {
    results.push(
      floatingSviRule(ctx, peering),
      nexthopPropagateRule(ctx, peering),
      anchorMixRule(ctx, peering),
      anchorsRule(ctx, peering),
      bgpPeersPerLeafRule(ctx, peering),
      physDomainRule(ctx, peering),
      vlanInPoolRule(ctx, peering),
      fabricAsnRule(ctx, peering),
      routerIdRule(ctx, peering),
      peeringPrefixRule(ctx, peering),
    );
  }
  if (peering || pools.length > 0) results.push(l3outVrfRule(ctx));
  if (pools.length > 0) results.push(extEpgsPerL3OutRule(ctx), extEpgsFabricRule(ctx), ...pools.map((p) => poolPrefixRule(ctx, p)));
  if (egress.length > 0) results.push(esgsPerVrfRule(ctx), ipSelectorsPerLeafRule(ctx), ...egress.map((e) => ipSelectorRule(ctx, e)));
  if (peering || pools.length > 0 || egress.length > 0) results.push(policyCamRule(ctx));
  return results;
}
