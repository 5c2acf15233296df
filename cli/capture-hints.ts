import { aciCaptureQueries } from '../shared/aci/facts/collect-queries.js';
import { clusterCollectQueries, type ClusterQuery } from '../shared/cilium/facts/queries.js';
import type { ChangeSpec } from '../shared/spec/index.js';

// When `changeflow plan --facts` lacks one side, the operator is told what to save, as commands
// they can paste — the same reads the agent makes for this spec — rather than the agent's
// internal command names.

function kubectlResource(q: ClusterQuery): string {
  const group = q.apiVersion.includes('/') ? q.apiVersion.split('/')[0] : '';
  return `${q.kind.toLowerCase()}${group ? `.${group}` : ''}`;
}

export function clusterCaptureCommands(spec: ChangeSpec): string[] {
  return [
    ...clusterCollectQueries(spec).map((q) => {
      // A list without a namespace is cluster-wide, as the agent reads it.
      const ns = q.namespace ? `-n ${q.namespace} ` : q.name ? '' : '-A ';
      const file = `${q.kind}${q.name ? `-${q.name}` : 'List'}.json`;
      return `kubectl ${ns}get ${kubectlResource(q)}${q.name ? ` ${q.name}` : ''}${q.labelSelector ? ` -l '${q.labelSelector}'` : ''} -o json > ${file}`;
    }),
    'cilium status -o json > cilium-status.json',
  ];
}

export function apicCaptureCommands(spec: ChangeSpec): string[] {
  const login = `curl -sk -c apic.cookie -d '{"aaaUser":{"attributes":{"name":"'$USER'","pwd":"'$PASSWORD'"}}}' https://$APIC/api/aaaLogin.json`;
  return [login, ...aciCaptureQueries(spec).map((q) => {
    const query = new URLSearchParams(q.query ?? {}).toString();
    return `curl -sk -b apic.cookie 'https://$APIC${q.path}${query ? `?${query}` : ''}' > apic-${q.name}.json`;
  })];
}
