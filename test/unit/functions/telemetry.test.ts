import middy from '@middy/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from '../../../shared/zod.js';
import { createLogger, lambdaLogging } from '../../../functions/runtime/logger.js';
import { count, createMetrics, metricNames } from '../../../functions/runtime/metrics.js';

// The Lambdas' telemetry as CloudWatch reads it: Powertools Logger lines (JSON, Lambda context,
// correlation id, the change id while a request about a change runs, secrets masked) and
// Powertools Metrics lines in the embedded metric format, captured from the process's stdout
// and stderr exactly as the Lambda runtime ships them to CloudWatch Logs.

let captured: string[] = [];
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };

beforeEach(() => {
  captured = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
});

afterEach(() => {
  process.stdout.write = writes.stdout;
  process.stderr.write = writes.stderr;
});

const JsonLine = z.record(z.string(), z.unknown());
function lines(): Array<Record<string, unknown>> {
  return captured
    .join('')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JsonLine.parse(JSON.parse(l)));
}

const Emf = z.object({
  _aws: z.object({
    Timestamp: z.number(),
    CloudWatchMetrics: z.array(z.object({ Namespace: z.string(), Dimensions: z.array(z.array(z.string())), Metrics: z.array(z.object({ Name: z.string(), Unit: z.string() })) })),
  }),
});

function emf() {
  return lines().flatMap((line) => {
    const parsed = Emf.safeParse(line);
    if (!parsed.success) return [];
    const [directive] = parsed.data._aws.CloudWatchMetrics;
    return directive ? [{ namespace: directive.Namespace, dimensions: directive.Dimensions, metrics: directive.Metrics, line }] : [];
  });
}

const lambdaContext = {
  functionName: 'changeflow-api-getChange',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:changeflow-api-getChange',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
};

describe('Lambda metrics (Powertools, EMF)', () => {
  it('writes each count as one EMF line in the changeflow namespace, with service and its own dimensions', () => {
    const metrics = createMetrics();
    count(metrics, metricNames.changeFinished, { status: 'ROLLED_BACK' });
    count(metrics, metricNames.intakeRefused, { system: 'jira', code: 'SignatureInvalid' });
    count(metrics, metricNames.lockWait, { target: 'fabric' });
    count(metrics, metricNames.ticketWriteBackFailed);
    const out = emf();
    expect(out.map((m) => ({ namespace: m.namespace, dimensions: m.dimensions, metrics: m.metrics }))).toEqual([
      { namespace: 'changeflow', dimensions: [['service', 'status']], metrics: [{ Name: 'ChangesFinished', Unit: 'Count' }] },
      { namespace: 'changeflow', dimensions: [['service', 'system', 'code']], metrics: [{ Name: 'IntakeRefusals', Unit: 'Count' }] },
      { namespace: 'changeflow', dimensions: [['service', 'target']], metrics: [{ Name: 'LockWaits', Unit: 'Count' }] },
      { namespace: 'changeflow', dimensions: [['service']], metrics: [{ Name: 'TicketWriteBackFailed', Unit: 'Count' }] },
    ]);
    expect(out[0]?.line).toMatchObject({ service: 'changeflow', status: 'ROLLED_BACK', ChangesFinished: 1 });
    expect(out[1]?.line).toMatchObject({ system: 'jira', code: 'SignatureInvalid', IntakeRefusals: 1 });
  });
});

describe('Lambda logger (Powertools)', () => {
  it('tags the lines of a request about a change with its id and correlation id, then forgets both', async () => {
    const logger = createLogger({ logLevel: 'INFO' });
    const handler = middy(async (event: { pathParameters?: { id: string } }) => {
      logger.info('reading change', { headers: { 'x-changeflow-signature': 'sha256=abc', accept: 'text/html' }, apic: { password: 'p', url: 'u' } });
      return event.pathParameters?.id ?? 'none';
    }).use(lambdaLogging(logger));
    await handler({ pathParameters: { id: 'snow-CHG0030012-4' }, requestContext: { requestId: 'apigw-req-7' } } as never, lambdaContext as never);
    await handler({} as never, { ...lambdaContext, awsRequestId: 'req-2' } as never);
    logger.info('outside any request');
    const [first, second, outside] = lines();
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'reading change',
      service: 'changeflow',
      changeId: 'snow-CHG0030012-4',
      correlation_id: 'apigw-req-7',
      function_request_id: 'req-1',
      function_name: 'changeflow-api-getChange',
      headers: { 'x-changeflow-signature': '[redacted]', accept: 'text/html' },
      apic: { password: '[redacted]', url: 'u' },
    });
    expect(typeof first?.['timestamp']).toBe('string');
    expect(second).toMatchObject({ message: 'reading change', function_request_id: 'req-2' });
    expect(second).not.toHaveProperty('changeId');
    expect(second).not.toHaveProperty('correlation_id');
    expect(outside).not.toHaveProperty('changeId');
  });

  it('says nothing below its level', () => {
    const logger = createLogger({ logLevel: 'SILENT' });
    logger.error('never shown');
    expect(lines()).toEqual([]);
  });
});
