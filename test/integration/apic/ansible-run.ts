import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from '../../../shared/zod.js';
import type { ApicLab } from '../../../local/lab/apic/lab.js';

// Runs the reusable cisco.aci playbooks of test/fixtures/apic/ansible against an APIC lab and
// reads Ansible's json callback output.

export const playbookDir = fileURLToPath(new URL('../../fixtures/apic/ansible', import.meta.url));

export const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;

const HostResult = z.looseObject({
  changed: z.optional(z.boolean()),
  failed: z.optional(z.boolean()),
  msg: z.optional(z.string()),
  current: z.optional(z.array(z.record(z.string(), z.unknown()))),
  imdata: z.optional(z.array(z.record(z.string(), z.unknown()))),
  results: z.optional(z.array(z.looseObject({ changed: z.optional(z.boolean()), failed: z.optional(z.boolean()) }))),
});
export const PlaybookRun = z.object({
  plays: z.array(z.object({ tasks: z.array(z.object({ task: z.object({ name: z.string() }), hosts: z.record(z.string(), HostResult) })) })),
  stats: z.record(z.string(), z.object({ changed: z.number(), failures: z.number(), ok: z.number(), unreachable: z.number() })),
});
export type PlaybookRun = z.infer<typeof PlaybookRun>;

export async function runPlaybook(lab: ApicLab, playbook: string, extraArgs: string[] = []): Promise<PlaybookRun> {
  const home = mkdtempSync(join(tmpdir(), 'changeflow-ansible-'));
  const { port } = new URL(lab.url);
  const args = [
    '-i', join(playbookDir, 'inventory.ini'), join(playbookDir, playbook),
    '-e', `apic_host=127.0.0.1 apic_port=${port} apic_username=${lab.username} apic_password=${lab.password}`,
    ...extraArgs,
  ];
  const env = {
    ...process.env,
    HOME: home,
    ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_NOCOLOR: '1',
  };
  const stdout = await new Promise<string>((resolve, reject) => {
    // A failed task makes ansible-playbook exit 2 with the json report still on stdout.
    execFile('ansible-playbook', args, { env, maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) => {
      if (out.trim().startsWith('{')) resolve(out);
      else reject(new Error(`ansible-playbook ${playbook} printed no json report: ${err?.message ?? ''}\n${errOut}`));
    });
  });
  return PlaybookRun.parse(JSON.parse(stdout));
}

export function taskResult(run: PlaybookRun, name: string): z.infer<typeof HostResult> {
  const task = run.plays.flatMap((p) => p.tasks).find((t) => t.task.name === name);
  const result = task?.hosts.localhost;
  if (!result) throw new Error(`expected task "${name}" in the playbook report, found none`);
  return result;
}

export function changedTasks(run: PlaybookRun): string[] {
  return run.plays.flatMap((p) => p.tasks).filter((t) => t.hosts.localhost?.changed).map((t) => t.task.name);
}
