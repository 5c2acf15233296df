import { walkStates, type AslDefinition } from './asl.js';
import { UnsupportedAslFeature } from './errors.js';

// aws-local-stepfunctions 3 accepts these and then ignores them (reference/aws.md §6): a workflow
// using them would pass locally and behave differently on AWS. Refuse them up front instead.
const jsonataFields = ['Arguments', 'Output', 'Items'];
const distributedMapFields = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailureCount', 'ToleratedFailurePercentage', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath', 'Label'];

export function findUnsupportedFeatures(definition: AslDefinition): Array<{ state: string; feature: string }> {
  const findings: Array<{ state: string; feature: string }> = [];
  if (definition.QueryLanguage === 'JSONata') findings.push({ state: '(top level)', feature: 'QueryLanguage JSONata' });
  for (const { name, state } of walkStates(definition)) {
    if (state['QueryLanguage'] === 'JSONata') findings.push({ state: name, feature: 'QueryLanguage JSONata' });
    for (const field of jsonataFields) {
      if (field in state) findings.push({ state: name, feature: `${field} (JSONata)` });
    }
    if ('Assign' in state) findings.push({ state: name, feature: 'Assign (variables)' });
    if ('Credentials' in state) findings.push({ state: name, feature: 'Credentials (cross-account task)' });
    if (state.Type === 'Map') {
      const processor = (state['ItemProcessor'] ?? {}) as { ProcessorConfig?: { Mode?: string } };
      if (processor.ProcessorConfig?.Mode === 'DISTRIBUTED') findings.push({ state: name, feature: 'Distributed Map' });
      for (const field of distributedMapFields) {
        if (field in state) findings.push({ state: name, feature: `${field} (Distributed Map)` });
      }
    }
    if (state.Type === 'Task') {
      // The local activity queue enforces heartbeats and timeouts from fixed values only.
      if (state.HeartbeatSecondsPath !== undefined) findings.push({ state: name, feature: 'HeartbeatSecondsPath' });
      if (state.TimeoutSecondsPath !== undefined) findings.push({ state: name, feature: 'TimeoutSecondsPath' });
    }
  }
  return findings;
}

export function refuseUnsupportedFeatures(machineName: string, definition: AslDefinition): void {
  const findings = findUnsupportedFeatures(definition);
  if (findings.length === 0) return;
  const list = findings.map((f) => `state "${f.state}" uses ${f.feature}`).join('; ');
  throw new UnsupportedAslFeature(
    `state machine ${machineName} cannot run locally: ${list}. aws-local-stepfunctions accepts these and ` +
      'silently ignores them, so the local run would differ from AWS; keep the workflow on JSONPath ' +
      '(Parameters/ResultSelector/ResultPath), inline Map, no variables, and fixed TimeoutSeconds/HeartbeatSeconds',
    findings,
  );
}
