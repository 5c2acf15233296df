import { App, Stack } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleHandlers, measureHandlerBundles, type HandlerBundle } from '../../../bench/bundles.js';
import { buildLambdas } from '../../../build/build.js';
import { handlerEntries } from '../../../build/handler-build-options.js';
import { HandlerFunction } from '../../../cdk/handler-function.js';
import { repoRoot } from './changeflow-template.js';
import { apiHandlers } from '../../../cdk/handler-modules.js';
import { lambdaSteps } from '../../../workflows/lambda-steps.js';

// Issue 7's goal, every Lambda bundle ≤ 300 KiB minified, is a figure `npm run bench bundles`
// prints beside the goal (as every size and speed target is); this file proves the figures are
// real. The bundles are built with esbuild's API from cdk/handler-bundling.ts, the settings
// HandlerFunction gives NodejsFunction; the last test checks that claim against a real
// NodejsFunction bundle.

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const describeBundle = (b: HandlerBundle): string =>
  `${b.name} (${b.entry}) ${kib(b.bytes)}: ${b.heaviest.slice(0, 4).map((h) => `${h.from} ${kib(h.bytes)}`).join(', ')}`;

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
    // The 300 KiB size goal is a figure, not an assertion: `npm run bench bundles` prints each
    // bundle against bundleBudgetBytes with its heaviest contributors (the guide keeps size
    // targets in bench/). What this test holds is that the figures are of real, attributed bundles.
    for (const b of bundles) expect(b.heaviest.reduce((sum, h) => sum + h.bytes, 0), describeBundle(b)).toBeGreaterThan(b.bytes * 0.8);
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
