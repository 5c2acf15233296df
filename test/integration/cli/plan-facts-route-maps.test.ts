import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApicClient } from '../../../agent/apic/client.js';
import type { CommandContext } from '../../../agent/command-context.js';
import { aciApply } from '../../../agent/commands/aci-apply.js';
import { aciCollect } from '../../../agent/commands/aci-collect.js';
import { createAgentLog } from '../../../agent/log.js';
import { startApicLab, type ApicLab } from '../../../local/lab/apic/lab.js';
import { PROTOCOL } from '../../../shared/agent-protocol/index.js';
import { parseAciFacts, planAci } from '../../../shared/aci/index.js';
import { Redactor } from '../../../shared/runtime/redact.js';
import { parseChangeSpecText } from '../../../shared/spec/index.js';

// Issue 14 acceptance: `changeflow plan --facts` on a capture that includes route maps — the
// APIC answers saved after the onboarding was applied on the 6.1(2) lab hold changeflow's
// next-hop propagate route map (rtctrlProfile … rtctrlSetNhUnchanged, bgpRsPeerToProfile on each
// peer); the real binary reads them, plans nothing more on the APIC and passes the next-hop
// precheck from what is configured.

const example = 'examples/onboard-prod-a.yaml';
const parsed = parseChangeSpecText(readFileSync(example, 'utf8'));
if (!parsed.ok) throw new Error(`${example} no longer parses`);
const spec = parsed.spec;
const dir = mkdtempSync(join(tmpdir(), 'changeflow-route-map-facts-'));
const log = createAgentLog({ redactor: new Redactor(), level: 'error', agent: 'test', write: () => undefined });
let lab: ApicLab;

function context(step: 'gather-facts' | 'apply-aci'): CommandContext {
  const task = { protocol: PROTOCOL, changeId: 'chg-route-maps', site: 'dc1', step, deadlineSeconds: 60, heartbeatSeconds: 20, commands: [] };
  return { signal: new AbortController().signal, deadline: new Date(Date.now() + 60_000), task, log, checkpoint: () => undefined };
}

beforeAll(async () => {
  lab = await startApicLab({ backupDelayMs: 0 });
  const client = createApicClient({ url: lab.url, username: lab.username, password: lab.password });
  const scope = { tenants: [spec.aci.tenant], dnPrefixes: [], snapshotPolicy: 'changeflow' };
  const collect = async () => aciCollect(client, { fabric: spec.target.fabric, spec }, scope, context('gather-facts'));
  const before = await collect();
  const ops = planAci(spec, parseAciFacts(before.responses.flatMap((r) => r.imdata), { tenant: spec.aci.tenant }));
  const applied = await aciApply(client, { ops }, context('apply-aci'));
  if (!applied.ok) throw new Error(JSON.stringify(applied.ops));
  // Saved as an operator saves them: one imdata envelope per query, in an apic/ folder.
  mkdirSync(join(dir, 'apic'));
  for (const r of (await collect()).responses) writeFileSync(join(dir, 'apic', `${r.name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.json`), JSON.stringify({ totalCount: String(r.totalCount), imdata: r.imdata }));
});

afterAll(async () => {
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('changeflow plan --facts on a capture with route maps', () => {
  it('reads the route map, plans nothing more on the APIC and passes next-hop propagate from what is configured', () => {
    const captured = readFileSync(join(dir, 'apic', 'tenant.json'), 'utf8');
    for (const cls of ['rtctrlProfile', 'rtctrlSetNhUnchanged', 'bgpRsPeerToProfile']) expect(captured, cls).toContain(`"${cls}"`);
    const r = spawnSync(process.execPath, ['bin/changeflow.mjs', 'plan', example, '--facts', join(dir, 'apic')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/✓ aci\.version\.nexthop-propagate: .*all 2 floating-SVI peers carry an import route map setting next-hop unchanged/);
    // Nothing left to write on the APIC: every planned object is on the cluster side.
    const planned = r.stdout.split('\n').filter((l) => /^ {2}[+~-] /.test(l));
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.filter((l) => !/^ {2}[+~-] cilium\.io\//.test(l))).toEqual([]);
  });
});
