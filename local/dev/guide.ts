import type { StackEndpoints } from '../lab/endpoints.js';

// The few lines after `ready`: where things are and how to try them.
export function printGuide(e: StackEndpoints, startupMs: number, out: NodeJS.WritableStream, opts: { stateMachineArn?: string; dataDir?: string } = {}): void {
  // The AWS CLI needs a region and some credentials even for a local endpoint: dummy ones do.
  // --region too: AWS CLI v1 (Debian's, pip's) reads AWS_DEFAULT_REGION and ignores AWS_REGION.
  const awsCli = `AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws stepfunctions --region us-east-1 --endpoint-url ${e.sfn}`;
  const lines = [
    `changeflow dev up in ${(startupMs / 1000).toFixed(1)} s`,
    `  API          ${e.api}   (open ${e.api}/ in a browser: the index of changes and each timeline)`,
    `  Step Fns     ${e.sfn}`,
    `    ${awsCli} list-executions --state-machine-arn ${opts.stateMachineArn ?? '$(' + awsCli + " list-state-machines --query 'stateMachines[0].stateMachineArn' --output text)"}`,
    `  DynamoDB     ${e.dynamodb}`,
    `  APIC lab     ${e.apic.url}   user ${e.apic.username}`,
    `  Kubernetes   ${e.kubernetes.url}   kubectl --kubeconfig ${e.kubernetes.kubeconfig} get nodes`,
    `  ServiceNow   ${e.servicenow.url}    Jira ${e.jira.url}`,
    'try:',
    '  npx changeflow submit examples/add-pool-blue.yaml --wait',
    `  curl -s ${e.api}/changes | jq .`,
    '  npx changeflow audit list',
    `  a second stack beside this one: npx changeflow dev --port 0 --data-dir ${opts.dataDir ? `${opts.dataDir}-2` : '.changeflow-2'}`,
  ];
  out.write(`${lines.join('\n')}\n`);
}
