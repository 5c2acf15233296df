import { Duration, RemovalPolicy, type CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
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

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.fn = new nodejs.NodejsFunction(this, 'Fn', {
      entry: resolve(props.repoRoot, props.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(30),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: props.repoRoot,
      depsLockFilePath: resolve(props.repoRoot, 'package-lock.json'),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: false,
        mainFields: ['module', 'main'],
        // The Node 22 runtime ships AWS SDK v3; bundling it again would only add weight.
        externalModules: ['@aws-sdk/*'],
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    const cfn = this.fn.node.defaultChild as CfnResource;
    cfn.addMetadata(entryMetadataKey, props.entry);
    cfn.addMetadata(exportMetadataKey, 'handler');
  }
}
