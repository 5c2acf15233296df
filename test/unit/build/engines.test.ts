import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import * as z from '../../../shared/zod.js';
import { repoRoot } from '../../../build/build.js';

// package.json's engines.node is true for every installed package (issue 18): each package's own
// engines.node must allow every Node.js the project's range allows, so a machine the README calls
// supported never runs a dependency outside what its authors declare.

const Manifest = z.looseObject({ name: z.optional(z.string()), version: z.optional(z.string()), engines: z.optional(z.looseObject({ node: z.optional(z.string()) })) });
const Lock = z.object({ packages: z.record(z.string(), z.looseObject({ optional: z.optional(z.boolean()) })) });

const project = Manifest.parse(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));
const projectRange = project.engines?.node ?? '';
const lock = Lock.parse(JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')));

/**
 * Packages whose declared range is narrower than the project's, each with why it is still run and
 * the version that reason was checked for (a new version must be checked again).
 */
const accepted: Record<string, { version: string; why: string }> = {
  'aws-local-stepfunctions': {
    version: '3.0.0',
    why:
      'the local stack only (a devDependency); 3.0.0 is the only version the registry has. Its one Node 22 API, ' +
      'Promise.withResolvers, is polyfilled by bin/polyfills.mjs (CLI, scripts, test setup), and test/integration/sfn runs it on Node 20',
  },
};

function installed(): Array<{ key: string; name: string; version: string; node?: string }> {
  return Object.keys(lock.packages)
    .filter((key) => key !== '' && existsSync(join(repoRoot, key, 'package.json')))
    .map((key) => {
      const m = Manifest.parse(JSON.parse(readFileSync(join(repoRoot, key, 'package.json'), 'utf8')));
      return { key, name: m.name ?? key, version: m.version ?? '?', node: m.engines?.node };
    });
}

describe('engines', () => {
  it('declares a Node.js range that this machine and the Lambda runtime satisfy', () => {
    expect(semver.validRange(projectRange), projectRange).not.toBeNull();
    expect(semver.satisfies(process.versions.node, projectRange), `node ${process.versions.node} vs ${projectRange}`).toBe(true);
    // cdk/handler-function.ts deploys on nodejs24.x.
    expect(semver.satisfies('24.0.0', projectRange)).toBe(true);
  });

  it("holds every installed package's engines.node to the project's range", () => {
    const packages = installed();
    expect(packages.length).toBeGreaterThan(100);
    const narrower = packages
      .filter((p) => p.node !== undefined && !semver.subset(projectRange, p.node))
      .map((p) => `${p.key}@${p.version} wants node ${p.node}`)
      .filter((line) => !Object.entries(accepted).some(([name, a]) => line.startsWith(`node_modules/${name}@${a.version} `)));
    expect(narrower).toEqual([]);
  });

  it('keeps each accepted exception true: still installed at the checked version and still narrower', () => {
    const packages = installed();
    for (const [name, a] of Object.entries(accepted)) {
      const p = packages.find((x) => x.key === `node_modules/${name}`);
      expect(p?.version, `${name}: ${a.why}`).toBe(a.version);
      expect(p?.node && semver.subset(projectRange, p.node), `${name} now allows ${projectRange}: drop the exception`).toBe(false);
    }
  });

  it("says the same Node.js versions in the README as in package.json's engines", () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`Node.js \`${projectRange}\``);
  });
});
