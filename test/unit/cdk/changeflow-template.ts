import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stage, type App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { ChangeflowStack } from '../../../cdk/changeflow-stack.js';
import { synthStack } from '../../../local/sfn/index.js';

// The stack as the CDK tests see it: two sites, synthesised in-process without bundling (the
// bundles are measured by bundle-size.test.ts with the same esbuild settings).

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const sites = ['dc1', 'dc2'] as const;
const synthesised: ChangeflowStack[] = [];

export function buildChangeflowStack(extend: (app: App, stack: ChangeflowStack) => void = () => undefined): ChangeflowStack {
  let built: ChangeflowStack | undefined;
  synthStack((app) => {
    built = new ChangeflowStack(app, 'Changeflow', { sites, repoRoot });
    extend(app, built);
    return built;
  });
  if (!built) throw new Error('synthStack did not call the stack factory');
  synthesised.push(built);
  return built;
}

/** Synth writes each App to its own temporary cdk.out; call from afterAll. */
export function removeSynthOutputs(): void {
  for (const stack of synthesised.splice(0)) {
    const outdir = Stage.of(stack)?.outdir;
    if (outdir?.includes('cdk.out')) rmSync(outdir, { recursive: true, force: true });
  }
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

export function resourcesOf(template: Template): Record<string, CfnResource> {
  return (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
}

export function ofType(template: Template, type: string): Array<[string, CfnResource]> {
  return Object.entries(resourcesOf(template)).filter(([, r]) => r.Type === type);
}
