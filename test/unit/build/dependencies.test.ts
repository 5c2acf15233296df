import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as z from '../../../shared/zod.js';
import { agentBuildOptions } from '../../../build/agent-build-options.js';
import { repoRoot } from '../../../build/build.js';
import { handlerBuildOptions, handlerEntries } from '../../../build/handler-build-options.js';

// Dependencies are honest (issue 18): `dependencies` is what the deliverables are made of — the
// packages inside the built agent and the Lambda bundles, and the CDK app's construct library —
// and everything that only builds, tests or emulates (esbuild, tsx, vitest, dynalite, …) is a
// devDependency. Proved from both ends: the production tree holds no tool, and every package the
// artifacts bundle is in the production tree.

const PackageJson = z.object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) });
const pkg = PackageJson.parse(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));
const Lock = z.object({ packages: z.record(z.string(), z.object({ dev: z.optional(z.boolean()), optional: z.optional(z.boolean()) })) });
const lock = Lock.parse(JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')));

/** devDependencies that a runtime dependency also depends on: in the production tree, but no tool. */
const alsoNeededAtRuntime: Record<string, string> = {
  '@types/node': 'a dependency of @kubernetes/client-node (its typings)',
  semver: "bundled inside aws-cdk-lib's @aws-cdk/cloud-assembly-schema",
};

interface NpmTree {
  dependencies?: Record<string, NpmTree>;
}
const NpmTree: z.ZodMiniType<NpmTree> = z.lazy(() => z.object({ dependencies: z.optional(z.record(z.string(), NpmTree)) }));

function names(tree: NpmTree, into = new Set<string>()): Set<string> {
  for (const [name, sub] of Object.entries(tree.dependencies ?? {})) {
    into.add(name);
    names(sub, into);
  }
  return into;
}

function npmLsProduction(): Promise<NpmTree> {
  return new Promise((resolve, reject) => {
    // npm exits 1 for unmet optional platform packages (esbuild's siblings); the JSON is still whole.
    execFile('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      if (!stdout) return reject(err ?? new Error('npm ls printed nothing'));
      resolve(NpmTree.parse(JSON.parse(stdout)));
    });
  });
}

/** `…/node_modules/@scope/a/node_modules/b/lib/x.js` → the lock key `node_modules/@scope/a/node_modules/b`. */
function lockKey(input: string): string | undefined {
  return /node_modules\/(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*/.exec(input)?.[0];
}

describe('dependencies', () => {
  it('`npm ls --omit=dev` lists no build, test or lab tool', { timeout: 60_000 }, async () => {
    const production = names(await npmLsProduction());
    const tools = Object.keys(pkg.devDependencies).filter((name) => production.has(name) && !(name in alsoNeededAtRuntime));
    expect(tools).toEqual([]);
    for (const name of ['esbuild', 'tsx', 'dynalite', 'aws-local-stepfunctions', 'asl-validator', 'cdk-nag', 'vitest', 'eslint', 'typescript']) {
      expect(name in pkg.devDependencies, name).toBe(true);
      expect(production.has(name), name).toBe(false);
    }
    // The exceptions stay true: each is really pulled in by a runtime dependency.
    for (const name of Object.keys(alsoNeededAtRuntime)) expect(production.has(name), name).toBe(true);
  });

  it('bundles only production packages into the agent and the Lambdas', { timeout: 60_000 }, async () => {
    const [agent, lambdas] = await Promise.all([
      build({ ...agentBuildOptions(repoRoot, join(repoRoot, 'dist/probe/agent.mjs')), write: false }),
      build({ ...handlerBuildOptions(handlerEntries(), repoRoot, join(repoRoot, 'dist/probe')), write: false }),
    ]);
    const bundled = new Set([...Object.keys(agent.metafile.inputs), ...Object.keys(lambdas.metafile.inputs)].map(lockKey).filter((k) => k !== undefined));
    expect(bundled.size).toBeGreaterThan(20);
    const missing = [...bundled].filter((key) => !(key in lock.packages));
    expect(missing).toEqual([]);
    expect([...bundled].filter((key) => lock.packages[key]?.dev === true)).toEqual([]);
  });
});
