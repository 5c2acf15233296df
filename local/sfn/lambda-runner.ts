import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LambdaHandlerNotFound } from './errors.js';
import type { LocalLambdaDef } from './stack-machines.js';
import { TaskFailure } from './task-failure.js';

type Handler = (event: unknown, context: LambdaContext) => unknown;

/** The fields of the Node.js Lambda context object that handlers and middy read. */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis: () => number;
}

/** The payload AWS Lambda returns for an unhandled error; Step Functions puts it in `Cause`. */
export function lambdaErrorCause(error: unknown): { errorType: string; errorMessage: string } {
  if (error instanceof Error) return { errorType: error.name || 'Error', errorMessage: error.message };
  return { errorType: 'Error', errorMessage: String(error) };
}

// Runs handler modules in-process (the process runs under tsx or vitest, so .ts entries import).
export class LambdaRunner {
  private readonly handlers = new Map<string, Promise<Handler>>();

  constructor(private readonly rootDir: string) {}

  /** Fails fast at start-up when a `changeflow:entry` module is missing on disk. */
  assertEntryExists(fn: LocalLambdaDef): void {
    if (!existsSync(resolve(this.rootDir, fn.entry))) {
      throw new LambdaHandlerNotFound(
        `function ${fn.logicalId} names handler module ${fn.entry} (changeflow:entry), which does not exist under ` +
          `${this.rootDir}; fix the metadata path (relative to the repository root)`,
      );
    }
  }

  private handler(fn: LocalLambdaDef): Promise<Handler> {
    const key = `${fn.entry}#${fn.exportName}`;
    let loaded = this.handlers.get(key);
    if (!loaded) {
      loaded = import(pathToFileURL(resolve(this.rootDir, fn.entry)).href).then((mod: Record<string, unknown>) => {
        const handler = mod[fn.exportName];
        if (typeof handler !== 'function') {
          throw new LambdaHandlerNotFound(
            `module ${fn.entry} of function ${fn.logicalId} has no function export "${fn.exportName}" ` +
              `(exports: ${Object.keys(mod).join(', ') || 'none'}); set changeflow:export to the handler's name`,
          );
        }
        return handler as Handler;
      });
      this.handlers.set(key, loaded);
    }
    return loaded;
  }

  /**
   * Invokes the function as Lambda would: JSON in, JSON out, the function's timeout enforced,
   * thrown errors turned into `TaskFailure(errorType, {errorType, errorMessage})`.
   */
  async invoke(fn: LocalLambdaDef, event: unknown): Promise<unknown> {
    const requestId = randomUUID();
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context: LambdaContext = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fn.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: String(fn.memoryMb),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${fn.functionName}`,
      logStreamName: `local/[$LATEST]${requestId.replaceAll('-', '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    // One process hosts every function: each invocation sees its own function's variables.
    Object.assign(process.env, fn.environment);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`;
        reject(new TaskFailure('Sandbox.Timedout', JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage })));
      }, fn.timeoutSeconds * 1000);
    });
    try {
      // An import failure is a failed invocation, as Runtime.ImportModuleError is on AWS.
      const handler = await this.handler(fn);
      const result = await Promise.race([Promise.resolve().then(() => handler(structuredClone(event), context)), timeout]);
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (error) {
      if (error instanceof TaskFailure) throw error;
      const cause = lambdaErrorCause(error);
      throw new TaskFailure(cause.errorType, JSON.stringify(cause));
    } finally {
      clearTimeout(timer);
    }
  }
}
