import { App, Stack } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandlers, measureHandlerBundles, type HandlerBundle } from '../../../bench/bundles.js';
import { buildLambdas } from '../../../build/build.js';
import { handlerEntries } from '../../../build/handler-build-options.js';
import { bundleBudgetBytes } from '../../../cdk/handler-bundling.js';
import { HandlerFunction } from '../../../cdk/handler-function.js';
import { repoRoot } from './changeflow-template.js';
import { apiHandlers } from '../../../cdk/handler-modules.js';
import { lambdaSteps } from '../../../workflows/lambda-steps.js';

// Issues 7 and 18: every Lambda bundle ≤ 300 KB (bundleBudgetBytes, 300 000 bytes) minified, with
// Powertools Logger inside, and Metrics in every one that counts. The bundles are built with esbuild's API from
// cdk/handler-bundling.ts, the settings HandlerFunction gives NodejsFunction; the last test checks
// that claim against a real NodejsFunction bundle, so these are the bytes `cdk deploy` uploads.

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
const describeBundle = (b: HandlerBundle): string =>
  `${b.name} (${b.entry}) ${kb(b.bytes)}: ${b.heaviest.slice(0, 4).map((h) => `${h.from} ${kb(h.bytes)}`).join(', ')}`;
const inputBytes = (b: HandlerBundle, suffix: string): number =>
  Object.entries(b.inputs).reduce((sum, [path, bytes]) => (path.endsWith(suffix) ? sum + bytes : sum), 0);
const powertoolsLogger = '@aws-lambda-powertools/logger/lib/esm/Logger.js';
const powertoolsMetrics = '@aws-lambda-powertools/metrics/lib/esm/Metrics.js';

let bundles: HandlerBundle[];
const outdir = mkdtempSync(join(tmpdir(), 'changeflow-bundle-'));

beforeAll(async () => {
  bundles = await measureHandlerBundles(repoRoot);
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('measures one real bundle per handler the stack deploys, each naming what weighs most', () => {
    // One per workflow step and API handler: the list the stack builds functions from.
    expect(bundles).toHaveLength(Object.keys(lambdaSteps).length + Object.keys(apiHandlers).length);
    expect(bundles.every((b) => b.bytes > 10_000)).toBe(true);
    for (const b of bundles) expect(b.heaviest.reduce((sum, h) => sum + h.bytes, 0), describeBundle(b)).toBeGreaterThan(b.bytes * 0.8);
  });

  it('keeps every bundle within 300 KB (300 000 bytes)', () => {
    expect(bundleBudgetBytes).toBe(300_000);
    expect(bundles.filter((b) => b.bytes > bundleBudgetBytes).map(describeBundle), 'over the 300 KB budget').toEqual([]);
  });

  it('ships Powertools Logger in every bundle and Metrics in every bundle that counts', () => {
    for (const b of bundles) {
      // The Logger class itself (not a type import shaken away), and the keys it writes.
      expect(inputBytes(b, powertoolsLogger), b.name).toBeGreaterThan(5_000);
      expect(b.code, b.name).toContain('POWERTOOLS_LOG_LEVEL');
      expect(b.code, b.name).toContain('function_request_id');
    }
    // A handler counts when it imports functions/runtime/metrics.ts: then the Metrics class and
    // the EMF envelope key (`_aws.CloudWatchMetrics`) are in its bundle. Those that emit a metric:
    // changes started, refused and finished, lock waits, and every step that writes to a ticket
    // (TicketWriteBackFailed, through functions/runtime/ticket-writers.ts).
    const counting = bundles.filter((b) => inputBytes(b, 'functions/runtime/metrics.ts') > 0);
    const noteWriters = ['validateRequest', 'plan', 'recordStep', 'requestApproval', 'recordOutcome', 'notify'];
    expect(counting.map((b) => b.name).sort()).toEqual([...noteWriters, 'waitForLock'].map((k) => `Step-${k}`).concat('Api-ticketWebhook', 'Api-startChange').sort());
    for (const name of noteWriters) expect(inputBytes(bundles.find((b) => b.name === `Step-${name}`) as HandlerBundle, 'functions/runtime/ticket-writers.ts'), name).toBeGreaterThan(0);
    for (const b of counting) {
      expect(inputBytes(b, powertoolsMetrics), b.name).toBeGreaterThan(5_000);
      expect(b.code, b.name).toContain('CloudWatchMetrics');
    }
    // The read-only routes count nothing, so they leave Metrics out — and have room for it.
    const metricsBytes = Math.max(...counting.map((b) => Object.entries(b.inputs).reduce((sum, [path, bytes]) => (path.includes('@aws-lambda-powertools/metrics/') ? sum + bytes : sum), 0)));
    for (const b of bundles.filter((x) => !counting.includes(x))) expect(b.bytes + metricsBytes, b.name).toBeLessThanOrEqual(bundleBudgetBytes);
  });

  it('bundles zod/mini, never classic zod, and with it the English messages its refusals quote', () => {
    for (const b of bundles) {
      expect(inputBytes(b, 'zod/v4/mini/schemas.js'), b.name).toBeGreaterThan(1_000);
      expect(Object.keys(b.inputs).filter((p) => p.includes('zod/v4/classic/')), b.name).toEqual([]);
      // shared/zod.ts installs the English locale: without it mini says only "Invalid input".
      expect(inputBytes(b, 'zod/v4/locales/en.js'), b.name).toBeGreaterThan(1_000);
      expect(b.code, b.name).toContain('Invalid input: expected');
      expect(Object.keys(b.inputs).filter((p) => /zod\/v4\/locales\/(?!en\.js)/.test(p)), b.name).toEqual([]);
    }
  });

  it('leaves the AWS SDK out of every bundle (the runtime provides it)', () => {
    expect(bundles.flatMap((b) => b.heaviest.filter((h) => h.from.startsWith('@aws-sdk/')).map((h) => `${b.name}: ${h.from}`))).toEqual([]);
  });

  it('measures what NodejsFunction deploys, byte for byte', { timeout: 120_000 }, async () => {
    const entry = 'functions/list-changes.ts';
    const app = new App({ outdir, analyticsReporting: false });
    const stack = new Stack(app, 'BundleProbe');
    new HandlerFunction(stack, 'Probe', { entry, repoRoot, environment: {} });
    const template = app.synth().getStackByName('BundleProbe').template as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
    };
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    const assetHash = fn?.Properties.Code?.S3Key?.replace(/\.zip$/, '');
    const deployed = statSync(join(outdir, `asset.${assetHash}`, 'index.mjs')).size;
    const [measured] = await bundleHandlers([{ name: 'Probe', entry }], repoRoot);
    expect(measured?.bytes).toBe(deployed);
    // `npm run build` writes the same file CDK uploads (dist/lambda/<name>/index.mjs).
    const built = await buildLambdas(repoRoot, join(outdir, 'dist-lambda'));
    const listChanges = built.find((b) => b.path.endsWith('/Api-listChanges/index.mjs'));
    expect(built).toHaveLength(handlerEntries().length);
    expect(listChanges && readFileSync(listChanges.path).equals(readFileSync(join(outdir, `asset.${assetHash}`, 'index.mjs')))).toBe(true);
  });
});
