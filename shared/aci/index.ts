// The ACI model's public surface (shared/aci/README.md). dn.ts, classes.ts and version.ts are
// imported from their own files.
export { AciMo, ChangeMos, DesiredMo, MoRole, PruneScope } from './model/aci-mo.js';
export { changeflowAnnotation, ownedByChangeflow } from './model/annotation.js';
export * from './model/dns.js';
export { changeMos, desiredAciMos, type AciModelOptions } from './model/desired.js';
export { moTree, MoOutsideRoot } from './model/mo-tree.js';
export * from './model/version-gates.js';
export * from './facts/aci-facts.js';
export { aciCaptureQueries, aciCollectQueries, aciFollowUpQueries, fabricFactClasses, topologyFactClasses } from './facts/collect-queries.js';
export { flattenImdata, InvalidAciFacts } from './facts/imdata.js';
export { parseAciFacts, tenantCaptured, type ParseAciFactsOptions } from './facts/parse-facts.js';
export { leavesOfPath, nodeOfDn } from './facts/topology.js';
export { AciPrecheckOptions, NodeAddress } from './prechecks/context.js';
export { aciLimits, defaultPolicyCamHeadroomPct } from './prechecks/limits.js';
export { aciRules } from './prechecks/rule.js';
export { runAciPrechecks } from './prechecks/run-prechecks.js';
export { aciModelOptions, planAci } from './planner/plan-aci.js';
export { renderAciDiff } from './planner/render-diff.js';
