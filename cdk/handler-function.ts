import { Duration, RemovalPolicy, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { handlerBundling } from './handler-bundling.js';
import { entryMetadataKey, exportMetadataKey } from './handler-modules.js';

export interface HandlerFunctionProps {
  /** Handler module relative to the repository root, e.g. functions/precheck.ts. */
  readonly entry: string;
  readonly repoRoot: string;
  readonly environment: Record<string, string>;
  readonly timeout?: Duration;
}

// One Lambda per handler module: bundled by the local esbuild (no Docker), ESM, minified, on a
// current Node.js runtime, with a log group that expires. The module path is kept as resource
// metadata so the local engine can run exactly this handler.
export class HandlerFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    // Its own role instead of AWSLambdaBasicExecutionRole: that managed policy may write to every
    // log group in the account, this one only to the function's own.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `changeflow ${props.entry}`,
    });
    logGroup.grantWrite(this.role);
    this.fn = new nodejs.NodejsFunction(this, 'Fn', {
      entry: resolve(props.repoRoot, props.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(30),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      role: this.role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: props.repoRoot,
      depsLockFilePath: resolve(props.repoRoot, 'package-lock.json'),
      bundling: {
        format: { esm: nodejs.OutputFormat.ESM }[handlerBundling.format],
        target: handlerBundling.target,
        minify: handlerBundling.minify,
        sourceMap: handlerBundling.sourceMap,
        mainFields: [...handlerBundling.mainFields],
        externalModules: [...handlerBundling.externalModules],
        banner: handlerBundling.banner,
      },
    });
    const cfn = this.fn.node.defaultChild as CfnResource;
    cfn.addMetadata(entryMetadataKey, props.entry);
    cfn.addMetadata(exportMetadataKey, 'handler');
  }
}
