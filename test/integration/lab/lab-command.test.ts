import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterAccess } from '../../../local/lab/cilium-cli/kubeconfig.js';
import { LabEndpoints, readEndpointsFile } from '../../../local/lab/endpoints.js';

// `changeflow lab` as an operator runs it: one process, `ready <path>` on the first line, a valid
// endpoints.json, a working `cilium` next to it, faults routed, and a clean exit 0 on SIGTERM.

const root = join(import.meta.dirname, '../../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`changeflow lab exited ${code} before ready: ${buf}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

describe('changeflow lab (spawned)', () => {
  it('prints ready, writes endpoints.json, serves the emulators and a lab cilium, and exits 0 on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'changeflow-lab-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [join(root, 'bin/changeflow.mjs'), 'lab', '--data-dir', dir, '--fault', 'bgp.establish=never', '--fault', 'agent.crash=apply.aci'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));

    expect(await firstLine(child)).toBe(`ready ${join(dir, 'endpoints.json')}`);
    const endpoints = await readEndpointsFile(dir, LabEndpoints);
    expect(endpoints.kubernetes.kubeconfig).toBe(join(dir, 'kubeconfig'));
    for (const url of [endpoints.apic.url, endpoints.kubernetes.url, endpoints.servicenow.url, endpoints.jira.url]) {
      expect((await fetch(`${url}/_lab/stats`)).status, url).toBe(200);
    }
    const world = (await clusterAccess(endpoints.kubernetes.kubeconfig, undefined, {})).worldUrl;
    expect(endpoints.world.url).toBe(world);
    expect(await (await fetch(`${world}/_lab/faults`)).json()).toEqual({ faults: [{ component: 'bgp', action: 'establish', mode: 'never' }] });
    expect(stderr).toContain('ignored (no agent runs under `changeflow lab`): agent.crash=apply.aci');

    // The shim defaults KUBECONFIG to the lab, so `DIR/bin/cilium` works with nothing set.
    const env = { ...process.env };
    delete env['KUBECONFIG'];
    const status = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(join(dir, 'bin', 'cilium'), ['status', '-o', 'json'], { env }, (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout })),
    );
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toHaveProperty('pod_state.cilium.Ready', 5);

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    await expect(access(join(dir, 'endpoints.json'))).rejects.toThrow(/ENOENT/);
  });

  it('exits 3 on a fault spec it cannot route, before starting anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'changeflow-lab-'));
    dirs.push(dir);
    const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [join(root, 'bin/changeflow.mjs'), 'lab', '--data-dir', dir, '--fault', 'dns.any=down'], { cwd: root }, (err, _out, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code) : 0, stderr }),
      ),
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/names component "dns"/);
    await expect(access(join(dir, 'endpoints.json'))).rejects.toThrow(/ENOENT/);
  });
});
