import type { StackEndpoints } from '../lab/endpoints.js';

// The few lines after `ready`: where things are and how to try them.
export function printGuide(e: StackEndpoints, startupMs: number, out: NodeJS.WritableStream): void {
  const lines = [
    `changeflow dev up in ${(startupMs / 1000).toFixed(1)} s`,
    `  API          ${e.api}   (GET /healthz, /changes, /changes/{id} — open it in a browser for the timeline)`,
    `  Step Fns     ${e.sfn}   (aws stepfunctions --endpoint-url ${e.sfn} list-executions …)`,
    `  DynamoDB     ${e.dynamodb}`,
    `  APIC lab     ${e.apic.url}   user ${e.apic.username}`,
    `  Kubernetes   ${e.kubernetes.url}   kubectl --kubeconfig ${e.kubernetes.kubeconfig} get nodes`,
    `  ServiceNow   ${e.servicenow.url}    Jira ${e.jira.url}`,
    'try:',
    '  npx changeflow submit examples/add-pool-blue.yaml --wait',
    `  curl -s ${e.api}/changes | jq .`,
    '  npx changeflow audit list',
  ];
  out.write(`${lines.join('\n')}\n`);
}
