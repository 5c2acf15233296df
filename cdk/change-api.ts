import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy, type CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ApiHandler } from './handler-modules.js';

// The HTTP API of DESIGN.md §3.2. Webhook routes authenticate by HMAC signature inside the
// handler (ticketing systems cannot sign SigV4); manual starts and audit queries need IAM.
export class ChangeApi extends Construct {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: { handlers: Readonly<Record<ApiHandler, lambda.IFunction>> }) {
    super(scope, id);
    const { handlers } = props;
    this.api = new apigw.HttpApi(this, 'Api', { apiName: 'changeflow', createDefaultStage: true });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    const stage = this.api.defaultStage?.node.defaultChild as CfnResource | undefined;
    stage?.addPropertyOverride('AccessLogSettings', {
      DestinationArn: accessLogs.logGroupArn,
      Format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        route: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        caller: '$context.identity.caller',
      }),
    });
    const iam = new HttpIamAuthorizer();
    const route = (path: string, method: apigw.HttpMethod, handler: ApiHandler, authorizer?: HttpIamAuthorizer) =>
      this.api.addRoutes({
        path,
        methods: [method],
        integration: new HttpLambdaIntegration(`${handler}-${method}-${path.replace(/\W+/g, '')}`, handlers[handler]),
        authorizer,
      });
    route('/webhooks/servicenow', apigw.HttpMethod.POST, 'ticketWebhook');
    route('/webhooks/jira', apigw.HttpMethod.POST, 'ticketWebhook');
    route('/changes', apigw.HttpMethod.POST, 'startChange', iam);
    route('/changes', apigw.HttpMethod.GET, 'listChanges', iam);
    route('/changes/{id}', apigw.HttpMethod.GET, 'getChange', iam);
    route('/changes/{id}/events', apigw.HttpMethod.GET, 'getChangeEvents', iam);
    route('/changes/{id}/verify', apigw.HttpMethod.GET, 'verifyChange', iam);
  }
}
