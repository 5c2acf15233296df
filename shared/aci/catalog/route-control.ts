import { annotation, bool, descr, ip, nameAlias, namedPolicy, num, oneOf, optionalName, owned, policyName } from './attr.js';
import { cfg, namedRel, type ClassEntry } from './entry.js';

// Route control, as the next-hop-propagate route map of the design uses it (reference/aci.md):
// a match rule (rtctrlSubjP with one rtctrlMatchRtDest per prefix), a set rule (rtctrlAttrP with
// rtctrlSetNhUnchanged) and a route map (rtctrlProfile) whose context (rtctrlCtxP) joins them.
// rtctrlProfile follows the APIC class metadata exactly; the rest follow cisco.aci 2.13
// (aci_route_control_*, aci_match_*, aci_action_rule_*) and the Nexus-as-Code templates.

const small = { annotation, descr, name: optionalName, nameAlias };

export const routeControlClasses: ClassEntry[] = [
  cfg('rtctrlProfile', 'prof-{name}', ['fvTenant', 'l3extOut'], {
    ...namedPolicy, ...owned, autoContinue: bool('no'), type: oneOf(['combinable', 'global'], 'combinable'),
  }),
  cfg('rtctrlCtxP', 'ctx-{name}', ['rtctrlProfile'], {
    ...namedPolicy, action: oneOf(['deny', 'permit'], 'permit'), order: num(0, 9, '0'),
  }),
  namedRel('rtctrlRsCtxPToSubjP', 'rsctxPToSubjP-{tnRtctrlSubjPName}', ['rtctrlCtxP'], 'tnRtctrlSubjPName', 'rtctrlSubjP'),
  cfg('rtctrlScope', 'scp', ['rtctrlCtxP'], small),
  namedRel('rtctrlRsScopeToAttrP', 'rsScopeToAttrP', ['rtctrlScope'], 'tnRtctrlAttrPName', 'rtctrlAttrP'),
  cfg('rtctrlSubjP', 'subj-{name}', ['fvTenant'], { ...namedPolicy, name: policyName, ...owned }),
  cfg('rtctrlMatchRtDest', 'dest-[{ip}]', ['rtctrlSubjP'], {
    ...small, ip: ip(), aggregate: bool('no'), fromPfxLen: num(0, 128, '0'), toPfxLen: num(0, 128, '0'),
  }),
  cfg('rtctrlAttrP', 'attr-{name}', ['fvTenant'], { ...namedPolicy, ...owned }),
  cfg('rtctrlSetNhUnchanged', 'nhunchanged', ['rtctrlAttrP'], { ...small, type: oneOf(['nh-unchanged'], 'nh-unchanged') }),
];
