import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createApicClient } from '../../agent/apic/client.js';
import { createClusterClient } from '../../agent/cluster/index.js';
import type { CommandContext } from '../../agent/command-context.js';
import { aciCollect } from '../../agent/commands/aci-collect.js';
import { clusterCollect } from '../../agent/commands/cluster-collect.js';
import { createAgentLog } from '../../agent/log.js';
import { Redactor } from '../../shared/runtime/redact.js';
import { PROTOCOL, type AgentTask } from '../../shared/agent-protocol/index.js';
import { parseChangeDocumentText, type ChangeSpec } from '../../shared/spec/index.js';
import { startLab } from './index.js';

// The captured-facts folder `changeflow plan SPEC --facts DIR` reads, taken from the default lab
// with the agent's own collectors — the APIC answers (imdata envelopes), `kubectl get -o json`
// of what the change touches and `cilium status -o json` — exactly what an operator saves by hand.
// `examples/facts/` is its output for the examples:
//   node bin/run-ts.mjs local/lab/capture-facts.ts examples/facts examples/*.yaml

export interface CapturedFile {
  /** Relative to the facts folder. */
  readonly path: string;
  readonly content: unknown;
}

const fileName = (text: string) => text.replace(/[^A-Za-z0-9_.-]+/g, '-');

/** Starts the default lab, gathers the facts each spec needs, stops the lab. */
export async function captureLabFacts(specs: readonly ChangeSpec[]): Promise<CapturedFile[]> {
  const work = await mkdtemp(join(tmpdir(), 'changeflow-capture-'));
  const lab = await startLab({ dataDir: work, ciliumBinaryDir: join(work, 'bin') });
  try {
    const apic = createApicClient({ url: lab.apic.url, username: lab.apic.username, password: lab.apic.password });
    const cluster = createClusterClient({ kubeconfigPath: lab.kubernetes.kubeconfigPath });
    const log = createAgentLog({ redactor: new Redactor(), level: 'error', agent: 'capture', write: () => undefined });
    const files = new Map<string, unknown>();
    for (const spec of specs) {
      const task: AgentTask = {
        protocol: PROTOCOL, changeId: 'capture', site: spec.target.site, step: 'gather-facts', deadlineSeconds: 120, heartbeatSeconds: 60,
        commands: [{ type: 'aci.collect', fabric: spec.target.fabric, spec }],
      };
      const ctx: CommandContext = { signal: new AbortController().signal, deadline: new Date(Date.now() + 120_000), task, log, checkpoint: () => undefined };
      const fabric = await aciCollect(apic, { fabric: spec.target.fabric, spec }, { tenants: [spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' }, ctx);
      for (const r of fabric.responses) files.set(`apic/${fileName(r.name)}.json`, { totalCount: String(r.totalCount), imdata: r.imdata });
      const side = await clusterCollect(cluster, { binaryPath: lab.ciliumBinary ?? 'cilium', kubeconfigPath: lab.kubernetes.kubeconfigPath }, { spec, ciliumStatus: true }, ctx);
      for (const obj of side.objects) files.set(`kubernetes/${fileName(objectName(obj))}.json`, obj);
      if (side.ciliumStatus !== undefined) files.set('cilium-status.json', side.ciliumStatus);
    }
    return [...files].map(([path, content]) => ({ path, content })).sort((a, b) => a.path.localeCompare(b.path));
  } finally {
    await lab.close();
    await rm(work, { recursive: true, force: true });
  }
}

function objectName(obj: unknown): string {
  const o = (obj ?? {}) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const kind = typeof o.kind === 'string' ? o.kind : 'object';
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  const namespace = typeof o.metadata?.namespace === 'string' ? `${o.metadata.namespace}-` : '';
  return name ? `${kind}-${namespace}${name}` : kind;
}

async function main(out: string, specFiles: readonly string[]): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const specs: ChangeSpec[] = [];
  for (const file of specFiles) {
    const parsed = parseChangeDocumentText(await readFile(file, 'utf8'));
    if (!parsed.ok) throw new Error(`${file}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    specs.push(parsed.spec);
  }
  for (const file of await captureLabFacts(specs)) {
    const path = join(out, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(file.content, null, 1)}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [out, ...specFiles] = process.argv.slice(2);
  if (!out || specFiles.length === 0) {
    process.stderr.write('usage: node bin/run-ts.mjs local/lab/capture-facts.ts OUT_DIR SPEC…\n');
    process.exitCode = 3;
  } else {
    await main(out, specFiles);
  }
}
