import { build } from 'esbuild';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentBudgetBytes, agentBuildOptions, agentOutfile } from './agent-build-options.js';
import { buildCiliumLab } from './cilium-lab.js';
import { handlerBuildOptions, handlerEntries } from './handler-build-options.js';

// `npm run build [-- agent|lambdas|cilium-lab]`: the deployable artifacts under dist/ (git-ignored).
//   dist/agent/changeflow-agent.mjs   the bastion agent, one file for plain `node`
//   dist/lambda/<name>/index.mjs      each Lambda bundle, byte for byte what `cdk deploy` uploads
//   dist/lab/cilium.mjs               the lab `cilium` executable

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const buildTargets = ['agent', 'lambdas', 'cilium-lab'] as const;
export type BuildTarget = (typeof buildTargets)[number];

export interface BuiltArtifact {
  readonly path: string;
  readonly bytes: number;
}

async function built(path: string): Promise<BuiltArtifact> {
  return { path, bytes: (await stat(path)).size };
}

export async function buildAgent(root: string = repoRoot, outfile?: string): Promise<BuiltArtifact> {
  const options = agentBuildOptions(root, outfile);
  await build(options);
  const artifact = await built(options.outfile ?? resolve(root, agentOutfile));
  await chmod(artifact.path, 0o755);
  if (artifact.bytes > agentBudgetBytes) throw new Error(`${artifact.path} is ${artifact.bytes} bytes, over the ${agentBudgetBytes}-byte budget of the bastion artifact; see what weighs most with esbuild's metafile`);
  return artifact;
}

export async function buildLambdas(root: string = repoRoot, outdir: string = resolve(root, 'dist/lambda')): Promise<BuiltArtifact[]> {
  await rm(outdir, { recursive: true, force: true });
  const entries = handlerEntries();
  await build(handlerBuildOptions(entries, root, outdir));
  return Promise.all(entries.map((e) => built(resolve(outdir, e.name, 'index.mjs'))));
}

async function main(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((a) => !(buildTargets as readonly string[]).includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`npm run build: unknown target ${unknown.join(', ')}; give none (all) or some of ${buildTargets.join(', ')}\n`);
    process.exitCode = 3;
    return;
  }
  const targets = argv.length > 0 ? (argv as readonly BuildTarget[]) : buildTargets;
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  const say = (a: BuiltArtifact) => process.stdout.write(`${a.path.slice(repoRoot.length + 1)}  ${kib(a.bytes)}\n`);
  await mkdir(resolve(repoRoot, 'dist'), { recursive: true });
  if (targets.includes('agent')) say(await buildAgent());
  if (targets.includes('lambdas')) for (const a of await buildLambdas()) say(a);
  if (targets.includes('cilium-lab')) say(await buildCiliumLab(repoRoot));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
