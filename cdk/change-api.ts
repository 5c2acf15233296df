import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { apiRoutes } from './api-routes.js';
import type { ApiHandler } from './handler-modules.js';

/** Requests per second (steady, burst) the API takes; twice the 200 req/s intake is sized for. */
export const apiThrottle = { ratePerSecond: 400, burst: 800 } as const;

// The HTTP API of docs/architecture.md §3.2. Webhook routes authenticate by HMAC signature inside the
// handler (ticketing systems cannot sign SigV4); manual starts and audit queries need IAM.
export class ChangeApi extends Construct {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: { handlers: Readonly<Record<ApiHandler, lambda.IFunction>> }) {
    super(scope, id);
    const { handlers } = props;
    this.api = new apigw.HttpApi(this, 'Api', { apiName: 'changeflow', createDefaultStage: true });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    // Set on the L1 property rather than as a raw override, so that checks over the construct
    // tree (cdk-nag AwsSolutions-APIG1) see it too.
    const stage = this.api.defaultStage?.node.defaultChild as apigw.CfnStage | undefined;
    if (stage) stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        route: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        caller: '$context.identity.caller',
      }),
    };
    // Throttle the stage: a flood of junk deliveries is refused by API Gateway (429) before it
    // costs a Lambda invocation; the webhook function's reserved concurrency caps the rest.
    if (stage) stage.defaultRouteSettings = { throttlingRateLimit: apiThrottle.ratePerSecond, throttlingBurstLimit: apiThrottle.burst };
    const iam = new HttpIamAuthorizer();
    for (const route of apiRoutes) {
      const method = apigw.HttpMethod[route.method];
      this.api.addRoutes({
        path: route.path,
        methods: [method],
        integration: new HttpLambdaIntegration(`${route.handler}-${method}-${route.path.replace(/\W+/g, '')}`, handlers[route.handler]),
        authorizer: route.auth === 'iam' ? iam : undefined,
      });
    }
  }
}
